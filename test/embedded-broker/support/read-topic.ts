import { Kafka, logLevel } from 'kafkajs';
import { uniqueName, waitFor } from '../../support';

export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
}

/**
 * Reads every record of `topic` from the beginning up to the current high watermarks, with a fresh consumer
 * group, and returns them in partition/offset order.
 */
export async function readTopic(
  brokers: string[],
  topic: string,
  opts: { readUncommitted?: boolean } = {},
): Promise<ReadRecord[]> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: 'read-topic' });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const consumer = kafka.consumer({
    groupId: uniqueName('read-topic'),
    readUncommitted: opts.readUncommitted ?? false,
    maxWaitTimeInMs: 100,
  });
  const out: ReadRecord[] = [];
  const reached = new Map<number, boolean>(ends.map((e) => [e.partition, Number(e.high) === 0]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          out.push({
            partition: batch.partition,
            offset: Number(m.offset),
            key: m.key?.toString() ?? null,
            value: m.value?.toString() ?? null,
          });
        }
        const high = Number(ends.find((e) => e.partition === batch.partition)?.high ?? 0);
        // With transactions the last offsets may be control markers, so "reached" means the fetch position did.
        if (Number(batch.lastOffset()) + 1 >= high || batch.isEmpty()) reached.set(batch.partition, true);
      },
    });
    await waitFor(() => [...reached.values()].every(Boolean), {
      message: `reading ${topic} to its high watermarks`,
    });
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
