import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { KafkaTarget, startKafkaTarget, uniqueName } from '../support';
import { readTopic } from './support/read-topic';

/** Produce / fetch / list-offsets conformance: runs against the embedded broker or KAFKA_BROKERS. */
describe('produce and fetch', () => {
  let target: KafkaTarget;
  let kafka: Kafka;

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 3 });
    kafka = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING });
  });
  afterAll(() => target.stop());

  async function createTopic(partitions = 3): Promise<string> {
    const topic = uniqueName('pf');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    return topic;
  }

  it('assigns consecutive offsets per partition and returns every record as sent', async () => {
    const topic = await createTopic();
    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` }));
    for (let i = 0; i < sent.length; i += 50)
      await producer.send({ topic, acks: -1, messages: sent.slice(i, i + 50) });
    await producer.disconnect();
    const got = await readTopic(target.brokers, topic);
    expect(got.map((r) => r.value).sort()).toEqual(sent.map((s) => s.value).sort());
    for (const p of [0, 1, 2]) {
      const offsets = got.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    // Same key, same partition, in send order.
    const k0 = got.filter((r) => r.key === 'k0');
    expect(new Set(k0.map((r) => r.partition)).size).toBe(1);
    expect(k0.map((r) => r.value)).toEqual(sent.filter((s) => s.key === 'k0').map((s) => s.value));
  });

  it('stores gzip batches as sent and serves them back', async () => {
    const topic = await createTopic(1);
    const producer = kafka.producer();
    await producer.connect();
    const values = Array.from({ length: 100 }, (_, i) => `compressed-${i}-${'x'.repeat(50)}`);
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: values.map((value) => ({ value })),
    });
    await producer.disconnect();
    expect((await readTopic(target.brokers, topic)).map((r) => r.value)).toEqual(values);
  });

  it('lists earliest, latest and by-timestamp offsets', async () => {
    const topic = await createTopic(1);
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) {
      await producer.send({ topic, messages: [{ value: `m${i}`, timestamp: String(t0 + i * 1000) }] });
    }
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const [latest] = await admin.fetchTopicOffsets(topic);
    expect(latest).toMatchObject({ partition: 0, low: '0', high: '5' });
    const [byTs] = await admin.fetchTopicOffsetsByTimestamp(topic, t0 + 2500);
    expect(byTs.offset).toBe('3');
    await admin.disconnect();
  });

  it('long-polls: a waiting consumer gets a record produced after its fetch started', async () => {
    const topic = await createTopic(1);
    const consumer = kafka.consumer({ groupId: uniqueName('lp'), maxWaitTimeInMs: 3_000 });
    let fetches = 0;
    consumer.on(consumer.events.FETCH_START, () => fetches++);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    // Wait until the consumer is assigned and fetching, then produce.
    await new Promise((r) => setTimeout(r, 500));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'late' }] });
    await producer.disconnect();
    await expect(received).resolves.toBe('late');
    // A broker that answered empty fetches at once would have been polled many times while the topic was empty.
    expect(fetches).toBeLessThanOrEqual(3);
    await consumer.disconnect();
  });
});
