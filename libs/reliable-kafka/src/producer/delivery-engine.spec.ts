import { DeliveryError } from '../errors/delivery.error';
import { DeliveryEngine, type DeliverySettings } from './delivery-engine';
import { MessageIdRegistry } from './message-id-registry';
import { ModelProduceClient, type Fault } from './model-produce-client.fixtures';
import { prepareRecords } from './prepare-records.util';
import type { ProducerMessage, SentRecordMetadata } from './producer-message.interface';
import { SendTracker } from './send-tracker';

const settings = (overrides: Partial<DeliverySettings> = {}): DeliverySettings => ({
  acks: -1,
  lingerMs: 1,
  initialRetryTimeMs: 5,
  maxRetryTimeMs: 20,
  ackTimeoutMs: 1_000,
  abandonAfterMs: 1_000,
  batch: { maxBytes: 100_000, maxRecords: 1_000 },
  buffer: { maxBytes: 1e9, maxBytesPerTopic: 1e9, maxBlockMs: 1_000 },
  metadataMaxAgeMs: 60_000,
  stickyBatchBytes: 16_384,
  ...overrides,
});

function harness(client: ModelProduceClient, overrides: Partial<DeliverySettings> = {}) {
  const engine = new DeliveryEngine(client, settings(overrides));
  engine.start();
  const registry = new MessageIdRegistry();
  const send = (messages: ProducerMessage[], timeoutMs = 1_000) =>
    new Promise<SentRecordMetadata[]>((resolve, reject) =>
      engine.submit(
        new SendTracker('t', prepareRecords('t', messages, 'message-id', registry), Date.now() + timeoutMs, {
          resolve,
          reject,
        }),
      ),
    );
  return { engine, send };
}

describe('DeliveryEngine', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('settles 130,000 sends queued behind one held request, each by its deadline (no argument spreading)', async () => {
    const client = new ModelProduceClient(1, [{ kind: 'ack', delayMs: 5_000 }], 1e9);
    const { engine, send } = harness(client, { batch: { maxBytes: 1e9, maxRecords: 1_000 } });
    const outcomes = Array.from({ length: 130_000 }, (_, i) =>
      send([{ key: 'k', value: String(i) }], 2_000).then(
        () => 'resolved',
        (e: DeliveryError) => e.outcome,
      ),
    );
    await jest.advanceTimersByTimeAsync(2_001);
    const settled = await Promise.all(outcomes);
    // the first request (1,000 records) was in flight at their deadline; the rest were never sent
    expect(settled.slice(0, 1_000).every((o) => o === 'unknown')).toBe(true);
    expect(settled.slice(1_000).every((o) => o === 'not-written')).toBe(true);
    await jest.advanceTimersByTimeAsync(5_000);
    await engine.drain();
    expect(client.logs.get('t/0')).toHaveLength(1_000);
  });

  it('keeps per-key order across retries: a retried batch goes before anything queued after it', async () => {
    const faults: Fault[] = [
      { kind: 'refused', delayMs: 5 },
      { kind: 'lost', delayMs: 5 },
    ];
    const client = new ModelProduceClient(2, faults, 1e9);
    const { engine, send } = harness(client);
    const all = Promise.all(Array.from({ length: 20 }, (_, i) => send([{ key: 'same', value: String(i) }])));
    await jest.advanceTimersByTimeAsync(500);
    const metadata = (await all).map(([m]) => Number(m.offset));
    expect(metadata).toEqual([...metadata].sort((a, b) => a - b));
    await engine.drain();
    expect([...client.logs.values()].flat()).toHaveLength(20);
  });

  it('a send across partitions, one of them denied, is partially written; resendable holds only the rest', async () => {
    const client = new ModelProduceClient(2, [], 1e9);
    const { engine, send } = harness(client);
    // partition 1's request is denied: the model answers the faults in request order, so deny the second one
    Object.assign(client, {
      faults: [
        { kind: 'ack', delayMs: 1 },
        { kind: 'denied', delayMs: 1 },
      ],
    });
    const outcome = send([
      { value: 'a', partition: 0 },
      { value: 'b', partition: 1 },
    ]).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(100);
    const error = (await outcome) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.outcome).toBe('partially-written');
    expect(error.messages.map((m) => m.status)).toEqual(['written', 'not-written']);
    expect(error.partitions).toEqual([1]);
    expect(error.resendable).toEqual([expect.objectContaining({ value: 'b', partition: 1 })]);
    await engine.drain();
  });
});
