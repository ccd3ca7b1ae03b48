import { ApiKey, ErrorCode } from '@nrk/embedded-broker';
import { DeliveryError } from '../../libs/reliable-kafka/src/errors/delivery.error';
import { NOOP_TELEMETRY, type ReliableKafkaTelemetry } from '../../libs/reliable-kafka/src/observability';
import type { SentRecordMetadata } from '../../libs/reliable-kafka/src/producer';
import { requireEmbedded, startKafkaTarget, type KafkaTarget } from '../support/kafka-target';
import { uniqueName } from '../support/unique-name';
import { createTopic, readBack, startProducerApp, type ProducerApp } from './producer-test-kit';

interface SendObservation {
  topic: string;
  seconds: number;
  ok: boolean;
}

/** Records every `producerSendObserved` call. */
function recordingTelemetry(): { telemetry: ReliableKafkaTelemetry; observed: SendObservation[] } {
  const observed: SendObservation[] = [];
  const telemetry: ReliableKafkaTelemetry = {
    ...NOOP_TELEMETRY,
    producerSendObserved: (topic, seconds, ok) => observed.push({ topic, seconds, ok }),
  };
  return { telemetry, observed };
}

describe('ReliableProducerService with many concurrent callers (idempotent, several requests in flight)', () => {
  let target: KafkaTarget;
  let app: ProducerApp;
  const { telemetry, observed } = recordingTelemetry();

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 1 });
    // linger 0: every send that finds its topic free starts a request, so requests overlap as much as they can
    app = await startProducerApp(target.brokers, { lingerMs: 0 }, telemetry);
  });
  afterAll(async () => {
    await app?.moduleRef.close();
    await target?.stop();
  });

  it('writes every message exactly once, in each caller order, when callers share partitions and topics', async () => {
    const hot = uniqueName('same-partition'); // one partition: every caller writes to it
    const wide = uniqueName('three-partitions');
    await createTopic(target.brokers, hot, 1);
    await createTopic(target.brokers, wide, 3);
    const callers = 40;
    const perCaller = 25;
    const sent = new Map<string, SentRecordMetadata>();
    const caller = async (c: number): Promise<void> => {
      for (let n = 0; n < perCaller; n++) {
        const topic = n % 2 === 0 ? hot : wide;
        const [meta] = await app.producer.send(topic, [{ key: `caller-${c}`, value: { c, n } }]);
        sent.set(`${c}/${n}`, meta);
      }
    };
    await Promise.all(Array.from({ length: callers }, (_, c) => caller(c)));
    expect(sent.size).toBe(callers * perCaller);

    const hotCount = callers * Math.ceil(perCaller / 2);
    const wideCount = callers * perCaller - hotCount;
    const records = [
      ...(await readBack(target.brokers, hot, hotCount, 500)),
      ...(await readBack(target.brokers, wide, wideCount, 500)),
    ];
    // no duplicates: each message id appears once in the logs (a sequence-number mix-up would write or lose copies)
    const copies = new Map<string, number>();
    for (const r of records)
      copies.set(r.headers['message-id'], (copies.get(r.headers['message-id']) ?? 0) + 1);
    expect(records).toHaveLength(callers * perCaller);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    expect(new Set([...sent.values()].map((m) => m.messageId))).toEqual(new Set(copies.keys()));

    // each caller awaited its sends, so on every partition its messages sit in its call order
    const offsetOf = new Map(records.map((r) => [r.value, BigInt(r.offset)]));
    for (let c = 0; c < callers; c++) {
      for (const [topic, first] of [
        [hot, 0],
        [wide, 1],
      ] as const) {
        const mine: bigint[] = [];
        for (let n = first; n < perCaller; n += 2) {
          const meta = sent.get(`${c}/${n}`)!;
          expect(meta.topic).toBe(topic);
          mine.push(offsetOf.get(JSON.stringify({ c, n }))!);
          expect(String(mine[mine.length - 1])).toBe(meta.offset);
        }
        expect(mine).toEqual([...mine].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    }
  });

  it('reports each settled send() to telemetry with its topic and duration', async () => {
    const topic = uniqueName('observed');
    await createTopic(target.brokers, topic, 2);
    const before = observed.length;
    await Promise.all(Array.from({ length: 30 }, (_, i) => app.producer.send(topic, [{ value: { i } }])));
    const mine = observed.slice(before).filter((o) => o.topic === topic);
    expect(mine).toHaveLength(30);
    expect(mine.every((o) => o.ok && o.seconds >= 0 && o.seconds < 60)).toBe(true);
  });
});

describe('ReliableProducerService telemetry of failed sends (embedded broker faults)', () => {
  let target: KafkaTarget;
  let app: ProducerApp;
  const { telemetry, observed } = recordingTelemetry();

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 1, faults: true });
    app = await startProducerApp(
      target.brokers,
      { deliveryTimeoutMs: 1_000, initialRetryTimeMs: 50, maxRetryTimeMs: 200 },
      telemetry,
    );
  });
  afterAll(async () => {
    await app?.moduleRef.close();
    await target?.stop();
  });

  it('reports a send that rejects with DeliveryError as not ok', async () => {
    const cluster = requireEmbedded(target);
    const topic = uniqueName('observed-failure');
    await createTopic(target.brokers, topic, 1);
    cluster.faults.failNext({
      apiKey: ApiKey.Produce,
      errorCode: ErrorCode.NOT_ENOUGH_REPLICAS,
      count: 100_000,
    });
    try {
      const error = await app.producer.send(topic, [{ value: 'never' }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeliveryError);
    } finally {
      cluster.faults.clear();
    }
    expect(observed.filter((o) => o.topic === topic).map((o) => o.ok)).toEqual([false]);
    await app.producer.send(topic, [{ value: 'later' }]);
    expect(observed.filter((o) => o.topic === topic).map((o) => o.ok)).toEqual([false, true]);
  });

  it('keeps send() order on a partition when a request fails and is retried while the next send waits', async () => {
    const cluster = requireEmbedded(target);
    const topic = uniqueName('retry-order');
    await createTopic(target.brokers, topic, 1);
    cluster.faults.failNext({ apiKey: ApiKey.Produce, errorCode: ErrorCode.NOT_ENOUGH_REPLICAS, count: 1 });
    const first = app.producer.send(topic, [{ value: 'first' }]);
    // past the linger: the first request is out (refused, then retried after a backoff) when the second send comes
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = app.producer.send(topic, [{ value: 'second' }]);
    const [[a], [b]] = await Promise.all([first, second]);
    expect(BigInt(a.offset)).toBeLessThan(BigInt(b.offset));
    const records = await readBack(target.brokers, topic, 2, 300);
    expect(records.map((r) => r.value)).toEqual(['first', 'second']);
  });
});
