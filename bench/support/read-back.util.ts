import { Kafka, logLevel } from 'kafkajs';

/**
 * Reads `topic` from the beginning to its high watermarks (as they are when called) and counts the records per
 * value of the `header` header: what is in the log, for comparing with what each send said.
 */
export async function countIdsInLog(
  brokers: string[],
  topic: string,
  groupId: string,
  header = 'message-id',
  timeoutMs = 120_000,
): Promise<{ ids: Map<string, number>; records: number }> {
  const kafka = new Kafka({ clientId: 'bench-read-back', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
  const ids = new Map<string, number>();
  let records = 0;
  if (remaining.size === 0) return { ids, records };

  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} back took more than ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            const end = remaining.get(batch.partition);
            for (const m of batch.messages) {
              if (end === undefined || Number(m.offset) >= end) continue;
              records++;
              const raw = m.headers?.[header];
              const id = (Array.isArray(raw) ? raw[0] : raw)?.toString() ?? '';
              ids.set(id, (ids.get(id) ?? 0) + 1);
            }
            if (end !== undefined && Number(batch.lastOffset()) >= end - 1) remaining.delete(batch.partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return { ids, records };
}
