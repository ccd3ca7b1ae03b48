import { Kafka, logLevel } from 'kafkajs';
import { uniqueName, waitFor } from '../support';

/**
 * Message ids (the original `message-id` header, which a dead letter carries byte for byte) of every record in
 * `<topic>.dlt`; empty when that topic does not exist. Lost messages exclude these.
 */
export async function readDeadLetterIds(brokers: string[], topic: string): Promise<string[]> {
  const dlt = `${topic}.dlt`;
  const kafka = new Kafka({ clientId: 'chaos-dlt-reader', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let expected = 0;
  try {
    if (!(await admin.listTopics()).includes(dlt)) return [];
    const offsets = await admin.fetchTopicOffsets(dlt);
    expected = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
  if (expected === 0) return [];
  const ids: string[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('chaos-dlt-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: dlt, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        ids.push(message.headers?.['message-id']?.toString() ?? `(no id) offset ${message.offset}`);
      },
    });
    await waitFor(() => ids.length >= expected, {
      timeoutMs: 60_000,
      message: `${expected} dead letters read`,
    });
  } finally {
    await consumer.disconnect();
  }
  return ids;
}
