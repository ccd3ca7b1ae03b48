/**
 * Names of every metric the module registers (before `metrics.prefix`). Documented in docs/observability.md;
 * exported so dashboards, alerts and tests refer to them rather than to string copies.
 */
export const RELIABLE_KAFKA_METRICS = {
  messagesProcessed: 'reliable_kafka_messages_processed_total',
  messagesFailed: 'reliable_kafka_messages_failed_total',
  messagesRetried: 'reliable_kafka_messages_retried_total',
  messagesDeadLettered: 'reliable_kafka_messages_dead_lettered_total',
  messagesDeduplicated: 'reliable_kafka_messages_deduplicated_total',
  handlerDuration: 'reliable_kafka_handler_duration_seconds',
  commitDuration: 'reliable_kafka_commit_duration_seconds',
  consumerLag: 'reliable_kafka_consumer_lag',
  partitionSecondsSinceProgress: 'reliable_kafka_partition_seconds_since_progress',
  producerSendDuration: 'reliable_kafka_producer_send_duration_seconds',
  producerSendErrors: 'reliable_kafka_producer_send_errors_total',
} as const;
