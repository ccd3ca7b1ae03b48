import { ApiKey, ErrorCode, type EmbeddedKafka } from '@nrk/embedded-broker';
import { Kafka, logLevel } from 'kafkajs';
import { DeliveryError } from '../../libs/reliable-kafka/src/errors/delivery.error';
import { ProducerBufferFullError } from '../../libs/reliable-kafka/src/errors/producer-buffer-full.error';
import { RecordTooLargeError } from '../../libs/reliable-kafka/src/errors/record-too-large.error';
import type { ProducerMessage, SentRecordMetadata } from '../../libs/reliable-kafka/src/producer';
import { requireEmbedded, startKafkaTarget, type KafkaTarget } from '../support/kafka-target';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import {
  placesById,
  readLog,
  startProducerApp,
  type ProducerApp,
  type ReadRecord,
} from './producer-test-kit';

type Settled = { metadata: SentRecordMetadata[] } | { error: DeliveryError };

const settle = (p: Promise<SentRecordMetadata[]>): Promise<Settled> =>
  p.then(
    (metadata) => ({ metadata }),
    (error: DeliveryError) => ({ error }),
  );

/**
 * The producer's truth table against real faults of the embedded broker, checked in the log itself: a send that
 * resolves has its record at the offset it reports, with its id; a message reported not written is absent; an id
 * is in the log twice only after an unknown outcome. 3 brokers, RF 3, min.insync.replicas 2, 6 partitions.
 */
describe('ReliableProducerService: resolved means in the log (embedded broker faults, log read back)', () => {
  let target: KafkaTarget;
  let cluster: EmbeddedKafka;
  let app: ProducerApp;

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 3, faults: true });
    cluster = requireEmbedded(target);
    app = await startProducerApp(target.brokers, { initialRetryTimeMs: 50, maxRetryTimeMs: 500 });
  });
  afterEach(() => cluster.faults.clear());
  afterAll(async () => {
    await app?.moduleRef.close();
    await target?.stop();
  });

  async function topicWith(configs: Record<string, string> = {}, partitions = 6): Promise<string> {
    const topic = uniqueName('truth');
    const admin = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: 3,
          configEntries: Object.entries({ 'min.insync.replicas': '2', ...configs }).map(([name, value]) => ({
            name,
            value,
          })),
        },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    return topic;
  }

  /**
   * Reads the log once and checks it: every resolved message at its place, every not-written one absent. Returns
   * the ids written twice, and the log.
   */
  async function expectTruth(
    topic: string,
    results: Settled[],
  ): Promise<{ twice: string[]; log: ReadRecord[] }> {
    const log = await readLog(target.brokers, topic);
    const places = placesById(log);
    for (const r of results) {
      const written = 'metadata' in r ? r.metadata : [];
      if ('error' in r) {
        for (const m of r.error.messages) {
          if (m.status === 'not-written') expect(places.get(m.messageId)).toBeUndefined();
          if (m.status === 'written')
            written.push({ topic, partition: m.partition!, offset: m.offset!, messageId: m.messageId });
        }
      }
      for (const m of written) expect(places.get(m.messageId)).toContain(`${m.partition}@${m.offset}`);
    }
    return { twice: [...places].filter(([, at]) => at.length > 1).map(([id]) => id), log };
  }

  const keyed = (n: number, prefix = 'm'): ProducerMessage[] =>
    Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i}`, value: { i } }));

  const leaderOf = (topic: string, partition: number): number =>
    cluster.cluster.partition(topic, partition)!.leader;

  it('a leader that moved under 60 coalesced sends (stale metadata): all 60 resolve, each once in the log', async () => {
    const topic = await topicWith();
    await Promise.all(keyed(12, 'warm').map((m) => app.producer.send(topic, [m]))); // the client caches leaders
    const from = leaderOf(topic, 0);
    const to = cluster.cluster.partition(topic, 0)!.isr.find((b) => b !== from)!;
    cluster.faults.moveLeader(topic, 0, to); // the client learns it from NOT_LEADER_OR_FOLLOWER
    const results = await Promise.all(keyed(60).map((m) => settle(app.producer.send(topic, [m]))));
    expect(results.filter((r) => 'error' in r)).toEqual([]);
    expect((await expectTruth(topic, results)).twice).toEqual([]);
  });

  it('a broker stopped for 6 s after applying its share: all resolve once; the next 10 sends are written too', async () => {
    const topic = await topicWith();
    const victim = leaderOf(topic, 0);
    cluster.faults.delayResponses({ apiKey: ApiKey.Produce, brokerId: victim, ms: 5_000, count: 5 });
    const sends = keyed(60).map((m) => settle(app.producer.send(topic, [m])));
    await waitFor(() => (cluster.cluster.partition(topic, 0)?.highWatermark ?? 0) > 0, {
      message: 'applied',
    });
    await cluster.faults.stopBroker(victim);
    await new Promise((r) => setTimeout(r, 6_000));
    await cluster.faults.restartBroker(victim);
    const results = await Promise.all(sends);
    expect(results.filter((r) => 'error' in r)).toEqual([]);
    // then new, different messages to the same partitions: each must be in the log where its ack says
    const later = await Promise.all(keyed(10, 'later').map((m) => settle(app.producer.send(topic, [m]))));
    expect(later.filter((r) => 'error' in r)).toEqual([]);
    expect((await expectTruth(topic, [...results, ...later])).twice).toEqual([]);
  });

  it('a lost response (applied, connection closed) resolves at the original offset, one copy', async () => {
    const topic = await topicWith({}, 1);
    await app.producer.send(topic, [{ value: 'first' }]);
    cluster.faults.dropResponses({ apiKey: ApiKey.Produce, count: 1 });
    const second = await settle(app.producer.send(topic, [{ value: 'second' }]));
    expect(second).toEqual({ metadata: [expect.objectContaining({ offset: '1' })] });
    expect((await expectTruth(topic, [second])).twice).toEqual([]);
  });

  it('an ack held past the deadline rejects as unknown; the record is in the log; the next send does not overlap it', async () => {
    const short = await startProducerApp(target.brokers, {
      deliveryTimeoutMs: 2_000,
      initialRetryTimeMs: 50,
    });
    try {
      const topic = await topicWith({}, 1);
      cluster.faults.delayResponses({ apiKey: ApiKey.Produce, ms: 2_600, count: 1 });
      const started = Date.now();
      const held = await settle(short.producer.send(topic, [{ key: 'k', value: 'held' }]));
      expect(Date.now() - started).toBeLessThan(2_500); // at its deadline, not when the answer comes
      expect('error' in held && held.error.outcome).toBe('unknown');
      // sent only once the held request has its answer: never two requests for a partition at once
      const next = await settle(short.producer.send(topic, [{ key: 'k', value: 'next' }]));
      expect(next).toEqual({ metadata: [expect.objectContaining({ offset: '1' })] });
      const { twice, log } = await expectTruth(topic, [held, next]);
      expect(twice).toEqual([]);
      expect(log.map((r) => r.value)).toEqual(['held', 'next']);
    } finally {
      await short.moduleRef.close();
    }
  });

  it("a caller's retry of rejected messages carries the same ids (same objects, or error.resendable)", async () => {
    const short = await startProducerApp(target.brokers, {
      deliveryTimeoutMs: 1_000,
      initialRetryTimeMs: 50,
    });
    try {
      const topic = await topicWith({ 'min.insync.replicas': '2' }, 1);
      cluster.faults.failNext({
        apiKey: ApiKey.Produce,
        errorCode: ErrorCode.NOT_ENOUGH_REPLICAS,
        count: 1_000,
      });
      const messages = keyed(3);
      const first = await settle(short.producer.send(topic, messages));
      cluster.faults.clear();
      expect('error' in first).toBe(true);
      const rejected = (first as { error: DeliveryError }).error;
      expect(rejected.messageIds).toHaveLength(3);
      const again = await short.producer.send(topic, messages);
      expect(again.map((m) => m.messageId)).toEqual(rejected.messageIds);
      const viaError = await short.producer.send(topic, rejected.resendable);
      expect(viaError.map((m) => m.messageId)).toEqual(rejected.messageIds);
      const places = placesById(await readLog(target.brokers, topic));
      expect([...places.keys()]).toEqual(rejected.messageIds);
    } finally {
      await short.moduleRef.close();
    }
  });

  it('a batch the broker finds too large is split: the others are written once, the oversized one is refused alone', async () => {
    const topic = await topicWith({ 'max.message.bytes': '8000' }, 1);
    const small = keyed(40).map((m, i) => ({ ...m, value: 'x'.repeat(900) + i }));
    const sends = small.map((m) => settle(app.producer.send(topic, [m])));
    const big = settle(app.producer.send(topic, [{ key: 'big', value: 'y'.repeat(20_000) }]));
    const results = await Promise.all(sends);
    expect(results.filter((r) => 'error' in r)).toEqual([]);
    const refused = await big;
    expect('error' in refused && refused.error.outcome).toBe('not-written');
    expect('error' in refused && refused.error.cause).toBeInstanceOf(RecordTooLargeError);
    expect((await expectTruth(topic, [...results, refused])).twice).toEqual([]);
  });

  it('a full buffer refuses sends after maxBlockMs (not written) and lets the rest through in order', async () => {
    const small = await startProducerApp(target.brokers, { maxBufferedBytes: 20_000, maxBlockMs: 300 });
    try {
      const topic = await topicWith({}, 1);
      cluster.faults.delayResponses({ apiKey: ApiKey.Produce, ms: 1_500, count: 1 });
      const sends = Array.from({ length: 60 }, (_, i) =>
        settle(small.producer.send(topic, [{ key: 'k', value: 'z'.repeat(900) + i }])),
      );
      const results = await Promise.all(sends);
      const refused = results.filter((r) => 'error' in r) as Array<{ error: DeliveryError }>;
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) {
        expect(r.error.outcome).toBe('not-written');
        expect(r.error.cause).toBeInstanceOf(ProducerBufferFullError);
      }
      expect((await expectTruth(topic, results)).twice).toEqual([]);
      const offsets = results.flatMap((r) => ('metadata' in r ? [Number(r.metadata[0].offset)] : []));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    } finally {
      await small.moduleRef.close();
    }
  });
});
