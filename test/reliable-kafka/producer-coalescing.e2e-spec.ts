import { ProducerClosedError } from '../../libs/reliable-kafka/src/errors/producer-closed.error';
import { startKafkaTarget, type KafkaTarget } from '../support/kafka-target';
import { uniqueName } from '../support/unique-name';
import { createTopic, readBack, startProducerApp, type ProducerApp } from './producer-test-kit';

describe('ReliableProducerService coalescing, ids and shutdown', () => {
  let target: KafkaTarget;
  let app: ProducerApp;

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 1 });
    app = await startProducerApp(target.brokers, { lingerMs: 5 });
  });
  afterAll(async () => {
    await app?.moduleRef.close();
    await target?.stop();
  });

  it('gives each of 100 concurrent callers its own offsets, matching what a consumer reads back', async () => {
    const topic = uniqueName('coalesce');
    await createTopic(target.brokers, topic, 3);
    // count Produce requests on the embedded broker: a zero-delay rule is consumed once per request
    const faults = target.embedded?.faults;
    faults?.delayResponses({ apiKey: 0 /* Produce */, ms: 0, count: 10_000 });
    const sends = Array.from({ length: 100 }, (_, i) =>
      app.producer.send(topic, [
        { key: `key-${i % 7}`, value: { caller: i, part: 'a' } },
        { key: `key-${(i + 3) % 7}`, value: { caller: i, part: 'b' } },
      ]),
    );
    const results = await Promise.all(sends);
    if (faults) {
      const produceRequests = 10_000 - faults.requests.pending();
      faults.clear();
      expect(produceRequests).toBeGreaterThanOrEqual(1);
      expect(produceRequests).toBeLessThan(10); // 100 calls issued in one tick share a request
    }

    const positions = results.flat().map((m) => `${m.partition}/${m.offset}`);
    expect(new Set(positions).size).toBe(200);
    const ids = results.flat().map((m) => m.messageId);
    expect(new Set(ids).size).toBe(200);

    const records = await readBack(target.brokers, topic, 200, 300);
    expect(records).toHaveLength(200);
    const byPosition = new Map(records.map((r) => [`${r.partition}/${r.offset}`, r]));
    results.forEach((metadata, caller) => {
      metadata.forEach((m, j) => {
        const record = byPosition.get(`${m.partition}/${m.offset}`);
        expect(record?.value).toBe(JSON.stringify({ caller, part: j === 0 ? 'a' : 'b' }));
        expect(record?.headers['message-id']).toBe(m.messageId);
        expect(m.topic).toBe(topic);
      });
    });
  });

  it('coalesces sends to several topics in one window and maps each result back', async () => {
    const [t1, t2] = [uniqueName('multi-a'), uniqueName('multi-b')];
    await createTopic(target.brokers, t1, 2);
    await createTopic(target.brokers, t2, 1);
    const [a, b, c] = await Promise.all([
      app.producer.send(t1, [{ key: 'x', value: 'a1' }]),
      app.producer.send(t2, [{ value: 'b1' }, { value: 'b2' }]),
      app.producer.send(t1, [{ key: 'x', value: 'a2' }]),
    ]);
    expect(b.map((m) => [m.topic, m.offset])).toEqual([
      [t2, '0'],
      [t2, '1'],
    ]);
    expect(a[0].partition).toBe(c[0].partition); // same key, same partition
    expect(BigInt(c[0].offset)).toBe(BigInt(a[0].offset) + 1n); // call order kept
    const read = await readBack(target.brokers, t1, 2);
    expect(read.sort((x, y) => Number(x.offset) - Number(y.offset)).map((r) => r.value)).toEqual([
      'a1',
      'a2',
    ]);
  });

  it('keeps a message id the caller set and stamps one on the others', async () => {
    const topic = uniqueName('ids');
    const [given, stamped] = await app.producer.send(topic, [
      { value: 'given', headers: { 'message-id': 'order-42', other: 'h' } },
      { value: 'stamped' },
    ]);
    expect(given.messageId).toBe('order-42');
    expect(stamped.messageId).toMatch(/^[0-9a-f-]{36}$/);
    const records = await readBack(target.brokers, topic, 2);
    const byValue = new Map(records.map((r) => [r.value, r.headers]));
    expect(byValue.get('given')).toEqual({ 'message-id': 'order-42', other: 'h' });
    expect(byValue.get('stamped')).toEqual({ 'message-id': stamped.messageId });
  });

  it('flushes pending sends on shutdown, then refuses new ones with ProducerClosedError', async () => {
    const own = await startProducerApp(target.brokers, { lingerMs: 1_000 });
    const topic = uniqueName('shutdown');
    await createTopic(target.brokers, topic, 1);
    const pending = [
      own.producer.send(topic, [{ value: 'p1' }]),
      own.producer.send(topic, [{ value: 'p2' }]),
    ];
    await own.moduleRef.close(); // would otherwise linger a second
    const metadata = await Promise.all(pending);
    expect(
      metadata
        .flat()
        .map((m) => m.offset)
        .sort(),
    ).toEqual(['0', '1']);
    const error = await own.producer.send(topic, [{ value: 'late' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProducerClosedError);
    expect((error as ProducerClosedError).topic).toBe(topic);
    expect((await readBack(target.brokers, topic, 2, 300)).map((r) => r.value).sort()).toEqual(['p1', 'p2']);
  });
});
