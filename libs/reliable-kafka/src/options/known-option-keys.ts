import type { KafkaConfig } from 'kafkajs';
import type {
  HandlerDefaults,
  ReliableBatchHandlerOptions,
  RetryPolicy,
  RetryTopicsOptions,
} from '../interfaces/batch-handler-options.interface';
import type {
  DedupOptions,
  ReliableKafkaMetricsOptions,
  ReliableKafkaModuleOptions,
  ReliableProducerOptions,
} from '../interfaces/reliable-kafka-options.interface';
import type { DoctorOptions } from '../doctor/doctor-options.interface';
import type { TopicSpec } from '../provisioning/topic-spec.interface';

/**
 * Every key of `T`, each exactly once: a key added to an options interface and not here (or listed here and not
 * there) is a compile error, so the strict check below can never reject a real option or miss a new one.
 */
type EveryKeyOf<T> = { readonly [K in keyof Required<T>]: true };

function keysOf<T>(every: EveryKeyOf<T>): readonly string[] {
  return Object.freeze(Object.keys(every));
}

type DedupOf<S extends DedupOptions['store']> = Extract<DedupOptions, { store: S }>;

const HANDLER_DEFAULT_KEYS: EveryKeyOf<HandlerDefaults> = {
  maxBatchSize: true,
  retry: true,
  concurrency: true,
  ordering: true,
  maxProcessingTimeMs: true,
  callTimeoutMs: true,
  rebalanceTimeout: true,
  stallAfterMs: true,
  commitIntervalMs: true,
  sessionTimeout: true,
  heartbeatInterval: true,
};

/** The known option names of each options object, by where it appears. */
export const KNOWN_OPTION_KEYS = {
  module: keysOf<ReliableKafkaModuleOptions>({
    client: true,
    dedup: true,
    producer: true,
    unsafeConfig: true,
    shutdownTimeoutMs: true,
    messageIdHeader: true,
    messageIdExtractor: true,
    deserializer: true,
    consumer: true,
    doctor: true,
    topics: true,
    allowTopicChanges: true,
    metrics: true,
  }),
  client: keysOf<KafkaConfig>({
    brokers: true,
    ssl: true,
    sasl: true,
    clientId: true,
    connectionTimeout: true,
    authenticationTimeout: true,
    reauthenticationThreshold: true,
    requestTimeout: true,
    enforceRequestTimeout: true,
    retry: true,
    socketFactory: true,
    logLevel: true,
    logCreator: true,
  }),
  dedup: {
    redis: keysOf<DedupOf<'redis'>>({
      store: true,
      url: true,
      keyPrefix: true,
      claimTtlMs: true,
      retentionMs: true,
    }),
    postgres: keysOf<DedupOf<'postgres'>>({
      store: true,
      dataSource: true,
      tableName: true,
      claimTtlMs: true,
      retentionMs: true,
    }),
    memory: keysOf<DedupOf<'memory'>>({ store: true, claimTtlMs: true, retentionMs: true }),
    none: keysOf<DedupOf<'none'>>({ store: true }),
  },
  producer: keysOf<ReliableProducerOptions>({
    acks: true,
    idempotent: true,
    deliveryTimeoutMs: true,
    initialRetryTimeMs: true,
    maxRetryTimeMs: true,
    lingerMs: true,
    messageIdHeader: true,
    maxBufferedBytes: true,
    maxBufferedBytesPerTopic: true,
    maxBlockMs: true,
    maxRequestBytes: true,
    maxBatchBytes: true,
    metadataMaxAgeMs: true,
  }),
  doctor: keysOf<DoctorOptions>({ mode: true, topics: true }),
  metrics: keysOf<ReliableKafkaMetricsOptions>({ registry: true, prefix: true }),
  topic: keysOf<TopicSpec>({
    name: true,
    partitions: true,
    replicationFactor: true,
    configs: true,
    deadLetter: true,
    retryDelaysMs: true,
  }),
  handlerDefaults: keysOf<HandlerDefaults>(HANDLER_DEFAULT_KEYS),
  handler: keysOf<ReliableBatchHandlerOptions>({
    ...HANDLER_DEFAULT_KEYS,
    topic: true,
    topics: true,
    groupId: true,
    fromBeginning: true,
    dedup: true,
    deadLetterTopic: true,
    retryTopics: true,
  }),
  retry: keysOf<RetryPolicy>({
    maxAttempts: true,
    initialDelayMs: true,
    maxDelayMs: true,
    nonRetryable: true,
  }),
  retryTopics: keysOf<RetryTopicsOptions>({ delaysMs: true }),
  handlerDedup: keysOf<Exclude<ReliableBatchHandlerOptions['dedup'], boolean | undefined>>({
    transactional: true,
  }),
} as const;
