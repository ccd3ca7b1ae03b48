import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { ReliableKafkaHealthIndicator } from 'nestjs-reliable-kafka';

/** `GET /health`: 200 while the consumers, the dedup store and the producer are fine, 503 with the reason if not. */
@Controller('health')
export class HealthController {
  // explicit tokens: runners built on esbuild (tsx, vitest) emit no decorator metadata for Nest to read
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(ReliableKafkaHealthIndicator) private readonly kafka: ReliableKafkaHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.kafka.isHealthy('kafka')]);
  }
}
