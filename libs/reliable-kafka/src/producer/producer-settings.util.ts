import type { ReliableProducerOptions } from '../interfaces/reliable-kafka-options.interface';
import type { DeliverySettings } from './delivery-engine';

/** The producer's options, every default applied (`validateOptions` resolves them; nothing else does). */
export type ProducerSettings = Required<ReliableProducerOptions>;

/** Broker-side wait for the in-sync replicas, at most (Kafka's own `request.timeout.ms` default). */
const MAX_ACK_TIMEOUT_MS = 30_000;

/**
 * Records in one request, at most: kafkajs groups a request's messages with an array copy per message
 * (`groupMessagesPerPartition`), quadratic in their number.
 */
export const MAX_BATCH_RECORDS = 1_000;

/**
 * Keyless records switch partitions after this many bytes (the Java client's `batch.size` default): concurrent
 * senders' records then spread over several partitions, whose requests go out at the same time.
 */
export const STICKY_BATCH_BYTES = 16_384;

/** What the delivery engine runs with, derived from the resolved options. */
export function deliverySettings(p: ProducerSettings): DeliverySettings {
  return {
    acks: p.acks,
    lingerMs: p.lingerMs,
    initialRetryTimeMs: p.initialRetryTimeMs,
    maxRetryTimeMs: p.maxRetryTimeMs,
    ackTimeoutMs: Math.min(MAX_ACK_TIMEOUT_MS, p.deliveryTimeoutMs),
    abandonAfterMs: p.deliveryTimeoutMs,
    batch: { maxBytes: Math.min(p.maxBatchBytes, p.maxRequestBytes), maxRecords: MAX_BATCH_RECORDS },
    buffer: {
      maxBytes: p.maxBufferedBytes,
      maxBytesPerTopic: p.maxBufferedBytesPerTopic,
      maxBlockMs: p.maxBlockMs,
    },
    metadataMaxAgeMs: p.metadataMaxAgeMs,
    stickyBatchBytes: STICKY_BATCH_BYTES,
  };
}
