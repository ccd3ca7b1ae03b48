import type { Message, Producer, TopicMessages } from 'kafkajs';
import { DeliveryError } from '../errors/delivery.error';
import { isRetriableKafkaError } from './kafka-error.util';
import type { SentRecordMetadata } from './producer-message.interface';
import type { ProducerSettings } from './producer-settings.util';
import { OffsetCounter, type MessagePlacement } from './record-metadata.util';
import { retryUntilDeadline } from './retry-until-deadline.util';
import type { PreparedMessage } from './serialize-message.util';
import type { StickyPartitioner } from './sticky-partitioner.util';

/** One caller's send() waiting in the coalescer. */
export interface PendingSend {
  topic: string;
  messages: PreparedMessage[];
  /** Epoch ms: send() time + deliveryTimeoutMs. */
  deadline: number;
  resolve(metadata: SentRecordMetadata[]): void;
  reject(error: Error): void;
}

/** What a batch delivery needs from the service. */
export interface DeliveryContext {
  producer: Producer;
  partitioner: StickyPartitioner;
  settings: ProducerSettings;
}

/** Broker-side wait for the in-sync replicas (Kafka's request `timeout`); the delivery timeout bounds the rest. */
const MAX_ACK_TIMEOUT_MS = 30_000;

/**
 * Sends the pending sends as ONE kafkajs sendBatch (retried with backoff until the earliest deadline)
 * and settles each caller with exactly its own metadata, or with a DeliveryError. Never rejects.
 * If a coalesced batch fails with a non-retriable error (a message too large, ...), each send is retried on its
 * own so that one caller's bad message does not fail the others.
 */
export async function deliverBatch(context: DeliveryContext, pending: PendingSend[]): Promise<void> {
  const { producer, settings } = context;
  const topicMessages = groupByTopic(pending);
  context.partitioner.beginRequest(topicMessages.map((t) => t.topic));
  const deadline = Math.min(...pending.map((p) => p.deadline));
  const outcome = await retryUntilDeadline(
    () =>
      producer.sendBatch({
        topicMessages,
        acks: settings.acks,
        timeout: Math.min(MAX_ACK_TIMEOUT_MS, settings.deliveryTimeoutMs),
      }),
    { deadline, initialRetryTimeMs: settings.initialRetryTimeMs, maxRetryTimeMs: settings.maxRetryTimeMs },
  );
  if (outcome.ok) {
    settleAcknowledged(context, pending, outcome.value, outcome.attempts);
    return;
  }
  if (pending.length > 1 && !isRetriableKafkaError(outcome.cause) && Date.now() < deadline) {
    for (const single of pending) await deliverBatch(context, [single]);
    return;
  }
  for (const p of pending) p.reject(deliveryError(p, outcome.cause, outcome.attempts));
}

/** kafkajs merges messages per topic in the order given; we build that same order to map offsets back. */
function groupByTopic(pending: PendingSend[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const p of pending) {
    let entry = byTopic.get(p.topic);
    if (!entry) byTopic.set(p.topic, (entry = { topic: p.topic, messages: [] }));
    entry.messages.push(...p.messages.map((m) => m.message));
  }
  return [...byTopic.values()];
}

function settleAcknowledged(
  context: DeliveryContext,
  pending: PendingSend[],
  results: Awaited<ReturnType<Producer['sendBatch']>>,
  attempts: number,
): void {
  // the order of groupByTopic: topics by first appearance, then each topic's sends in call order
  const topics = [...new Set(pending.map((p) => p.topic))];
  const sends = topics.length === 1 ? pending : topics.flatMap((t) => pending.filter((p) => p.topic === t));
  // acks 0 (only if the user allowed unsafe config): the broker sends no response, so no offsets exist
  const offsets = context.settings.acks === 0 ? undefined : new OffsetCounter(results);
  let metadata: SentRecordMetadata[][];
  try {
    metadata = sends.map((send) =>
      send.messages.map(({ message, messageId }): SentRecordMetadata => {
        const { topic, partition } = placement(context, send.topic, message);
        return { topic, partition, offset: offsets ? offsets.take(topic, partition) : '-1', messageId };
      }),
    );
  } catch (error) {
    for (const p of pending) p.reject(deliveryError(p, error, attempts));
    return;
  }
  sends.forEach((send, s) => send.resolve(metadata[s]));
}

function placement(context: DeliveryContext, topic: string, message: Message): MessagePlacement {
  const partition = context.partitioner.partitionOf(message);
  if (partition === undefined) throw new Error(`kafkajs did not partition a message for ${topic}`);
  return { topic, partition };
}

function deliveryError(p: PendingSend, cause: unknown, attempts: number): DeliveryError {
  return new DeliveryError(
    p.topic,
    cause,
    attempts,
    p.messages.map((m) => m.messageId),
  );
}
