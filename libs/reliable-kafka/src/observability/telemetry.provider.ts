import type { Provider } from '@nestjs/common';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS } from '../reliable-kafka.constants';
import { combineTelemetry } from './combine-telemetry.util';
import { PrometheusTelemetry } from './prometheus-telemetry';
import { ReliableKafkaStatus } from './reliable-kafka-status.service';
import { RELIABLE_KAFKA_TELEMETRY } from './telemetry.interface';

/** The module's telemetry: health state always, Prometheus metrics unless `metrics: false`. */
export const telemetryProvider: Provider = {
  provide: RELIABLE_KAFKA_TELEMETRY,
  useFactory: (status: ReliableKafkaStatus, options: ResolvedReliableKafkaOptions) =>
    options.metrics === false
      ? status.telemetry
      : combineTelemetry(
          status.telemetry,
          new PrometheusTelemetry(options.metrics.registry, options.metrics.prefix, () =>
            status.secondsSinceProgress(),
          ),
        ),
  inject: [ReliableKafkaStatus, RESOLVED_RELIABLE_KAFKA_OPTIONS],
};
