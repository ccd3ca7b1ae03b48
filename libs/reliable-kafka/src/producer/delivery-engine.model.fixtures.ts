/** Scenarios and properties of the delivery engine against the model cluster, shared by its specs. */
import fc from 'fast-check';
import { DeliveryError } from '../errors/delivery.error';
import { DeliveryEngine, type DeliverySettings } from './delivery-engine';
import { MessageIdRegistry } from './message-id-registry';
import { ModelProduceClient, type Fault } from './model-produce-client.fixtures';
import { prepareRecords } from './prepare-records.util';
import type { ProducerMessage, SentRecordMetadata } from './producer-message.interface';
import { SendTracker } from './send-tracker';

/** One scenario: the cluster's size and faults, the producer's limits, and the sends with the gaps between them. */
export interface Scenario {
  readonly partitions: number;
  readonly faults: Fault[];
  readonly brokerMaxBatchBytes: number;
  readonly lingerMs: number;
  readonly deliveryTimeoutMs: number;
  readonly maxBatchBytes: number;
  readonly maxRecords: number;
  readonly bufferBytes: number;
  readonly maxBlockMs: number;
  readonly sends: Array<{ gapMs: number; messages: ProducerMessage[] }>;
  readonly seed: number;
}

interface SendResult {
  readonly order: number;
  readonly ids: string[];
  readonly deadline: number;
  settledAt?: number;
  metadata?: SentRecordMetadata[];
  error?: DeliveryError;
}

const TOPIC = 't';

/** Runs a scenario in virtual time and returns what each send got, plus the model cluster. */
export async function runScenario(
  s: Scenario,
): Promise<{ results: SendResult[]; client: ModelProduceClient }> {
  const random = mulberry32(s.seed);
  const spy = jest.spyOn(Math, 'random').mockImplementation(random);
  const client = new ModelProduceClient(s.partitions, s.faults, s.brokerMaxBatchBytes);
  const settings: DeliverySettings = {
    acks: -1,
    lingerMs: s.lingerMs,
    initialRetryTimeMs: 5,
    maxRetryTimeMs: 40,
    ackTimeoutMs: s.deliveryTimeoutMs,
    abandonAfterMs: s.deliveryTimeoutMs,
    batch: { maxBytes: s.maxBatchBytes, maxRecords: s.maxRecords },
    buffer: { maxBytes: s.bufferBytes, maxBytesPerTopic: s.bufferBytes, maxBlockMs: s.maxBlockMs },
    metadataMaxAgeMs: 60_000,
    stickyBatchBytes: 16_384,
  };
  const engine = new DeliveryEngine(client, settings);
  engine.start();
  const registry = new MessageIdRegistry();
  const results: SendResult[] = [];
  try {
    for (const send of s.sends) {
      await jest.advanceTimersByTimeAsync(send.gapMs);
      const records = prepareRecords(TOPIC, send.messages, 'message-id', registry);
      const result: SendResult = {
        order: results.length,
        ids: records.map((r) => r.messageId),
        deadline: Date.now() + s.deliveryTimeoutMs,
      };
      results.push(result);
      engine.submit(
        new SendTracker(TOPIC, records, result.deadline, {
          resolve: (metadata) => Object.assign(result, { metadata, settledAt: Date.now() }),
          reject: (error) => Object.assign(result, { error, settledAt: Date.now() }),
        }),
      );
    }
    // every send settles by its deadline; then batches nobody waits for get their time to be resolved
    await jest.advanceTimersByTimeAsync(s.deliveryTimeoutMs * 4 + 1_000);
    await engine.drain();
  } finally {
    spy.mockRestore();
  }
  return { results, client };
}

/** Checks the properties of the producer's truth table; throws with the first one that fails. */
export function checkProperties(results: SendResult[], client: ModelProduceClient): void {
  expect(client.violations).toEqual([]);
  const where = new Map<string, Array<{ partition: number; offset: number }>>();
  for (const [key, ids] of client.logs) {
    const partition = Number(key.split('/')[1]);
    ids.forEach((id, offset) => where.set(id, [...(where.get(id) ?? []), { partition, offset }]));
  }
  const lastOffset = new Map<number, number>();
  for (const r of results) {
    // no send is left pending past its deadline
    expect(r.settledAt).toBeDefined();
    expect(r.settledAt as number).toBeLessThanOrEqual(r.deadline);
    const written = r.metadata ?? [];
    if (r.error) {
      r.error.messages.forEach((m) => {
        if (m.status === 'not-written') expect(where.get(m.messageId)).toBeUndefined();
        if (m.status === 'written') written.push({ topic: TOPIC, ...m, offset: m.offset as string } as never);
      });
    }
    for (const m of written) {
      // a resolved message is in the log at the offset it reports, with its id
      expect(client.logs.get(`${TOPIC}/${m.partition}`)?.[Number(m.offset)]).toBe(m.messageId);
      // resolved messages of one partition keep call order
      const before = lastOffset.get(m.partition) ?? -1;
      expect(Number(m.offset)).toBeGreaterThan(before);
      lastOffset.set(m.partition, Number(m.offset));
    }
  }
  // an id is in the log twice only after a request holding it had an unknown outcome
  for (const [id, places] of where) if (places.length > 1) expect(client.unknownIds.has(id)).toBe(true);
}

const faultArb: fc.Arbitrary<Fault> = fc.record({
  kind: fc.constantFrom('ack', 'ack', 'refused', 'denied', 'lost', 'vanished', 'sequence-refused'),
  delayMs: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 100, max: 3_000 })),
}) as fc.Arbitrary<Fault>;

const messageArb: fc.Arbitrary<ProducerMessage> = fc.record({
  key: fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: null }),
  value: fc.string({ maxLength: 200 }),
  // now and then an explicit partition, sometimes one the topic does not have
  partition: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 12 },
    { arbitrary: fc.integer({ min: 0, max: 4 }), weight: 1 },
  ),
});

/** Sends with random gaps between them, each of 1..maxMessages messages. */
function sendsArb(o: { maxGapMs: number; maxMessages: number; minSends: number; maxSends: number }) {
  return fc.array(
    fc.record({
      gapMs: fc.integer({ min: 0, max: o.maxGapMs }),
      messages: fc.array(messageArb, { minLength: 1, maxLength: o.maxMessages }),
    }),
    { minLength: o.minSends, maxLength: o.maxSends },
  );
}

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  partitions: fc.integer({ min: 1, max: 4 }),
  faults: fc.array(faultArb, { maxLength: 40 }),
  brokerMaxBatchBytes: fc.integer({ min: 150, max: 3_000 }),
  lingerMs: fc.integer({ min: 0, max: 5 }),
  deliveryTimeoutMs: fc.integer({ min: 300, max: 2_500 }),
  maxBatchBytes: fc.integer({ min: 100, max: 3_000 }),
  maxRecords: fc.integer({ min: 1, max: 10 }),
  bufferBytes: fc.oneof(fc.integer({ min: 1_000, max: 5_000 }), fc.constant(1_000_000)),
  maxBlockMs: fc.integer({ min: 0, max: 1_000 }),
  sends: sendsArb({ maxGapMs: 200, maxMessages: 4, minSends: 1, maxSends: 25 }),
  seed: fc.integer(),
});

/** Few partitions, close deadlines, mostly unknown outcomes with long delays: requests outlive their senders. */
export const stormScenarioArb: fc.Arbitrary<Scenario> = fc.record({
  partitions: fc.integer({ min: 1, max: 2 }),
  // runs of one fault: an outage answers many requests in a row the same way
  faults: fc
    .array(
      fc.record({
        kind: fc.constantFrom('lost', 'vanished', 'vanished', 'ack', 'refused', 'sequence-refused'),
        delayMs: fc.integer({ min: 20, max: 700 }),
        repeat: fc.integer({ min: 1, max: 25 }),
      }),
      { minLength: 1, maxLength: 12 },
    )
    .map((runs) =>
      runs.flatMap(({ kind, delayMs, repeat }) => Array<Fault>(repeat).fill({ kind, delayMs } as Fault)),
    ),
  brokerMaxBatchBytes: fc.constant(100_000),
  lingerMs: fc.integer({ min: 0, max: 30 }),
  deliveryTimeoutMs: fc.integer({ min: 150, max: 800 }),
  maxBatchBytes: fc.constant(100_000),
  maxRecords: fc.integer({ min: 2, max: 20 }),
  bufferBytes: fc.constant(1_000_000),
  maxBlockMs: fc.constant(1_000),
  sends: sendsArb({ maxGapMs: 40, maxMessages: 3, minSends: 2, maxSends: 30 }),
  seed: fc.integer(),
});

/** A small seeded PRNG, so a scenario (and its shrinking) replays exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
