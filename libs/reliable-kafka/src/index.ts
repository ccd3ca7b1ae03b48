/** Public API of nestjs-reliable-kafka. Nothing outside this file is public. */
export { ReliableKafkaModule } from './reliable-kafka.module';
export { MODULE_OPTIONS_TOKEN as RELIABLE_KAFKA_MODULE_OPTIONS } from './module-definition';
export { KAFKA_CONTEXT_TYPE, RESOLVED_RELIABLE_KAFKA_OPTIONS } from './reliable-kafka.constants';
export { ReliableProducerService, type ProducerMessage, type SentRecordMetadata } from './producer';
export * from './decorators';
export * from './interceptors';
export * from './errors';
export * from './interfaces';
export { KafkaContext } from './consumer/kafka-context';
export { isKafkaContext } from './consumer/is-kafka-context.util';
export { OffsetTracker } from './consumer/pipeline/offset-tracker';
export { DEAD_LETTER_HEADERS } from './retry/dead-letter-headers.util';
export { RETRY_HEADERS } from './retry/retry-headers.util';
export { validateOptions } from './options/validate-options.util';
export { jsonDeserializer } from './options/default-options';
export {
  DEDUP_STORE,
  DedupStoreUnavailableError,
  type ClaimStatus,
  type DedupStore,
  type TransactionalDedupStore,
} from './dedup';
export {
  DoctorReport,
  DoctorService,
  UnsafeTopicConfigError,
  runDoctor,
  type DoctorFinding,
  type DoctorMode,
  type DoctorOptions,
  type DoctorSeverity,
} from './doctor';
export {
  TopicProvisioningService,
  TopicProvisioningError,
  provisionTopics,
  deadLetterTopicName,
  retryTopicName,
  type TopicSpec,
  type ProvisioningReport,
} from './provisioning';
export {
  RELIABLE_KAFKA_METRICS,
  RELIABLE_KAFKA_TELEMETRY,
  ReliableKafkaHealthIndicator,
  ReliableKafkaHealthModule,
  ReliableKafkaStatus,
  type CallOutcome,
  type ConsumerState,
  type PartitionRef,
  type ReliableKafkaHealthDetails,
  type ReliableKafkaTelemetry,
  type StuckCall,
} from './observability/public-api';
