import { Kafka, logLevel } from 'kafkajs';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { uniqueName, waitFor } from '../support';

/** Memory follows retained data: retention.bytes and retention.ms trim whole batches from the head. */
describe('retention', () => {
  let cluster: EmbeddedKafka;
  let kafka: Kafka;

  beforeAll(async () => {
    cluster = await EmbeddedKafka.start({ brokers: 1 });
    kafka = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING });
  });
  afterAll(() => cluster.stop());

  async function fill(topic: string, configs: Record<string, string>, batches: number): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 1,
          configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < batches; i++) {
      await producer.send({
        topic,
        messages: Array.from({ length: 10 }, (_, j) => ({ value: `${i}-${j}-${'x'.repeat(100)}` })),
      });
    }
    await producer.disconnect();
  }

  it('retention.bytes keeps the log near its limit and moves the earliest offset', async () => {
    const topic = uniqueName('ret-bytes');
    await fill(topic, { 'retention.bytes': '5000' }, 50);
    const log = () => cluster.cluster.partition(topic, 0)!.leaderLog!;
    await waitFor(() => log().sizeBytes <= 5000, { message: () => `log still ${log().sizeBytes} bytes` });
    expect(log().logEndOffset).toBe(500);
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(Number(offsets.low)).toBeGreaterThan(0);
    expect(offsets.high).toBe('500');
  });

  it('retention.ms drops batches older than the limit', async () => {
    const topic = uniqueName('ret-ms');
    await fill(topic, { 'retention.ms': '200' }, 5);
    await waitFor(() => cluster.cluster.partition(topic, 0)!.logStartOffset === 50, {
      message: 'old batches deleted',
    });
    expect(cluster.cluster.partition(topic, 0)!.leaderLog!.sizeBytes).toBe(0);
  });

  it('keeps everything with the default retention', async () => {
    const topic = uniqueName('ret-default');
    await fill(topic, {}, 5);
    await new Promise((r) => setTimeout(r, 1200));
    expect(cluster.cluster.partition(topic, 0)!.logStartOffset).toBe(0);
  });
});
