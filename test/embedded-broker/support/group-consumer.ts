import { Consumer, ConsumerConfig, Kafka } from 'kafkajs';

/** A kafkajs consumer under test, with what it received and the partitions its latest rebalance gave it. */
export interface TrackedConsumer {
  readonly consumer: Consumer;
  readonly received: Array<{ partition: number; offset: string; value: string }>;
  /** Partitions of `topic` from the latest GROUP_JOIN (empty before the first). */
  assigned(): number[];
  memberId(): string | null;
  stop(): Promise<void>;
}

/** Starts a consumer in `groupId` on `topic` (from the beginning) and records messages and assignments. */
export async function startTrackedConsumer(
  kafka: Kafka,
  topic: string,
  config: ConsumerConfig,
): Promise<TrackedConsumer> {
  const consumer = kafka.consumer({ heartbeatInterval: 300, maxWaitTimeInMs: 100, ...config });
  const received: TrackedConsumer['received'] = [];
  let assigned: number[] = [];
  let memberId: string | null = null;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assigned = [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
    memberId = e.payload.memberId;
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      received.push({ partition, offset: message.offset, value: message.value?.toString() ?? '' });
    },
  });
  let stopped = false;
  return {
    consumer,
    received,
    assigned: () => assigned,
    memberId: () => memberId,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await consumer.disconnect();
    },
  };
}

/** True when the consumers' latest assignments are disjoint, non-empty, and together cover `partitions` partitions. */
export function splitsAll(consumers: readonly TrackedConsumer[], partitions: number): boolean {
  const all = consumers.flatMap((c) => c.assigned());
  return (
    consumers.every((c) => c.assigned().length > 0) &&
    all.length === partitions &&
    new Set(all).size === partitions
  );
}
