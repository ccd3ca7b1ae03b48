/**
 * What the lib's index exports from observability. Kept apart from this folder's index.ts, which the consumer
 * and producer code import for the telemetry seam and which must not pull in Terminus or the explorer.
 */
export { RELIABLE_KAFKA_METRICS } from './metric-names';
export {
  RELIABLE_KAFKA_TELEMETRY,
  type CallOutcome,
  type PartitionRef,
  type ReliableKafkaTelemetry,
} from './telemetry.interface';
export {
  ReliableKafkaHealthIndicator,
  type ReliableKafkaHealthDetails,
} from './reliable-kafka-health.indicator';
export { ReliableKafkaHealthModule } from './reliable-kafka-health.module';
export { ReliableKafkaStatus } from './reliable-kafka-status.service';
export type { ConsumerState } from './consumer-state.tracker';
export type { StuckCall } from './in-flight-calls.tracker';
