import { DEFAULT_MESSAGE_ID_HEADER } from '../reliable-kafka.constants';
import { DeserializationError } from '../errors/deserialization.error';
import type { ErrorClass } from '../interfaces/batch-handler-options.interface';
import type { MessageDeserializer } from '../interfaces/message-codec.interface';

/** UTF-8 JSON; a null value (tombstone) stays null. Throws on invalid JSON (the runtime wraps it). */
export const jsonDeserializer: MessageDeserializer = (value) =>
  value === null ? null : (JSON.parse(value.toString('utf8')) as unknown);

/** Every module default in one place. */
export const DEFAULT_OPTIONS = {
  dedup: { store: 'none' as const },
  producer: {
    acks: -1 as const,
    idempotent: true,
    deliveryTimeoutMs: 30_000,
    initialRetryTimeMs: 100,
    maxRetryTimeMs: 5_000,
    lingerMs: 2,
    messageIdHeader: DEFAULT_MESSAGE_ID_HEADER,
    maxBufferedBytes: 64 * 1024 * 1024,
    maxBlockMs: 30_000,
    maxRequestBytes: 1_048_576,
    maxBatchBytes: 1_000_000,
    metadataMaxAgeMs: 300_000,
  },
  unsafeConfig: 'fail' as const,
  shutdownTimeoutMs: 20_000,
  doctorMode: 'warn' as const,
  messageIdHeader: DEFAULT_MESSAGE_ID_HEADER,
  consumer: {
    maxBatchSize: 100,
    retry: {
      maxAttempts: 3,
      initialDelayMs: 200,
      maxDelayMs: 5_000,
      nonRetryable: [DeserializationError] as ErrorClass[],
    },
    concurrency: 1,
    ordering: 'partition' as const,
    maxProcessingTimeMs: 300_000,
    commitIntervalMs: 50,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  },
};
