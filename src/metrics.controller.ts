import { Controller, Get, Header, Inject } from '@nestjs/common';
import { register } from 'prom-client';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS, type ResolvedReliableKafkaOptions } from 'nestjs-reliable-kafka';

/** `GET /metrics`: the Prometheus registry the module writes to, in the text exposition format. */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(RESOLVED_RELIABLE_KAFKA_OPTIONS) private readonly options: ResolvedReliableKafkaOptions,
  ) {}

  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    // The module's registry (prom-client's global one unless `metrics.registry` says otherwise).
    const registry = this.options.metrics ? this.options.metrics.registry : register;
    return registry.metrics();
  }
}
