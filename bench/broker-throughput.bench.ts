import { Kafka, logLevel } from 'kafkajs';
import { startBrokerProcess } from './support/broker-process';
import { printTable } from './support/table';

/**
 * Embedded broker throughput from one kafkajs producer and one consumer (issue 2's target: 100k messages/s of
 * 100 bytes each way on a 2-core machine). The broker runs in its own process.
 */
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const BATCH = 1000;
const IN_FLIGHT = 4;

async function main(): Promise<void> {
  const broker = process.env.KAFKA_BROKERS
    ? null
    : await startBrokerProcess(['--brokers', '1', '--port', '0']);
  const brokers = broker?.brokers ?? (process.env.KAFKA_BROKERS as string).split(',');
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: 'bench-broker' });
  const topic = `bench-broker-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();

  const value = Buffer.alloc(100, 'x');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const cpu0 = broker?.cpuSeconds() ?? 0;
  const t0 = process.hrtime.bigint();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < MESSAGES) {
      const n = Math.min(BATCH, MESSAGES - next);
      next += n;
      await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, () => ({ value })) });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const produceSec = Number(process.hrtime.bigint() - t0) / 1e9;
  const produceCpu = (broker?.cpuSeconds() ?? 0) - cpu0;
  await producer.disconnect();

  const consumer = kafka.consumer({
    groupId: `${topic}-g`,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 16 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  const cpu1 = broker?.cpuSeconds() ?? 0;
  const t1 = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
        if (consumed >= MESSAGES) resolve();
      },
    });
  });
  const consumeSec = Number(process.hrtime.bigint() - t1) / 1e9;
  const consumeCpu = (broker?.cpuSeconds() ?? 0) - cpu1;
  await consumer.disconnect();
  const rss = broker?.peakRss() ?? 0;
  await broker?.stop();

  const mb = (MESSAGES * 100) / 1e6;
  printTable(
    `Embedded broker throughput: ${MESSAGES} messages x 100 B, 1 partition, acks=-1 (${broker ? 'embedded, own process' : brokers.join(',')})`,
    [
      ['direction', 'messages/s', 'MB/s', 'vs 100k/s target', 'broker CPU busy'],
      [
        'produce (kafkajs, batches of 1000, 4 in flight)',
        fmt(MESSAGES / produceSec),
        (mb / produceSec).toFixed(1),
        `${(MESSAGES / produceSec / 100_000).toFixed(2)}x`,
        pct(produceCpu / produceSec),
      ],
      [
        'consume (kafkajs eachBatch)',
        fmt(MESSAGES / consumeSec),
        (mb / consumeSec).toFixed(1),
        `${(MESSAGES / consumeSec / 100_000).toFixed(2)}x`,
        pct(consumeCpu / consumeSec),
      ],
      ['broker peak RSS', broker ? `${(rss / 1024 / 1024).toFixed(0)} MiB` : 'n/a', '', '', ''],
    ],
  );
}

const pct = (share: number): string => `${Math.round(share * 100)}%`;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
