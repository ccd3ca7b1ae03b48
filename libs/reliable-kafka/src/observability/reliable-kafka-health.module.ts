import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReliableKafkaHealthIndicator } from './reliable-kafka-health.indicator';

/**
 * Provides `ReliableKafkaHealthIndicator`. Separate from `ReliableKafkaModule` so that apps without health checks
 * do not get Terminus in their module graph. Reads the (global) `ReliableKafkaModule`'s providers, so import it
 * next to `ReliableKafkaModule.forRoot()` with `isGlobal` left on.
 *
 * @example
 * \@Module({ imports: [ReliableKafkaModule.forRoot(...), ReliableKafkaHealthModule], controllers: [HealthController] })
 */
@Module({
  imports: [TerminusModule],
  providers: [ReliableKafkaHealthIndicator],
  exports: [ReliableKafkaHealthIndicator, TerminusModule],
})
export class ReliableKafkaHealthModule {}
