import { Module } from '@nestjs/common';
import { ReliableKafkaHealthModule } from 'nestjs-reliable-kafka';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** The HTTP side of serve mode: `/health` (Terminus) and `/metrics` (Prometheus). */
@Module({
  imports: [ReliableKafkaHealthModule],
  controllers: [HealthController, MetricsController],
})
export class ObservabilityModule {}
