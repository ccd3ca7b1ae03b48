import { ApiKey, ErrorCode } from '@nrk/embedded-broker';
import { DeliveryError } from '../../libs/reliable-kafka/src/errors/delivery.error';
import { requireEmbedded, startKafkaTarget, type KafkaTarget } from '../support/kafka-target';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { createTopic, promiseState, readBack, startProducerApp, type ProducerApp } from './producer-test-kit';

/** Fault-injection tests: they need the embedded broker (they throw a clear message under KAFKA_BROKERS). */
describe('ReliableProducerService delivery (embedded broker faults)', () => {
  let target: KafkaTarget;
  let app: ProducerApp;

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 1, faults: true });
    app = await startProducerApp(target.brokers, {
      deliveryTimeoutMs: 3_000,
      initialRetryTimeMs: 50,
      maxRetryTimeMs: 400,
    });
  });
  afterEach(() => target.embedded?.faults.clear());
  afterAll(async () => {
    await app?.moduleRef.close();
    await target?.stop();
  });

  it('resolves after transient NOT_ENOUGH_REPLICAS errors, with the record written once', async () => {
    const cluster = requireEmbedded(target);
    const topic = uniqueName('transient');
    await createTopic(target.brokers, topic, 1);
    cluster.faults.failNext({ apiKey: ApiKey.Produce, errorCode: ErrorCode.NOT_ENOUGH_REPLICAS, count: 4 });
    const [meta] = await app.producer.send(topic, [{ key: 'k', value: { order: 1 } }]);
    expect(meta).toMatchObject({ topic, partition: 0, offset: '0' });
    const records = await readBack(target.brokers, topic, 1, 500);
    expect(records).toEqual([
      expect.objectContaining({
        offset: '0',
        value: '{"order":1}',
        headers: { 'message-id': meta.messageId },
      }),
    ]);
  });

  it('rejects with DeliveryError (topic, cause, attempts) when NOT_ENOUGH_REPLICAS outlasts the delivery timeout', async () => {
    const cluster = requireEmbedded(target);
    const topic = uniqueName('persistent');
    await createTopic(target.brokers, topic, 1);
    cluster.faults.failNext({
      apiKey: ApiKey.Produce,
      errorCode: ErrorCode.NOT_ENOUGH_REPLICAS,
      count: 100_000,
    });
    const error = await app.producer.send(topic, [{ value: 'never' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    const delivery = error as DeliveryError;
    expect(delivery.topic).toBe(topic);
    expect(delivery.attempts).toBeGreaterThanOrEqual(2);
    expect(delivery.messageIds).toHaveLength(1);
    expect(causeChain(delivery.cause)).toMatch(/replicas/i);
    cluster.faults.clear();
    // the producer is still usable afterwards
    await expect(app.producer.send(topic, [{ value: 'later' }])).resolves.toHaveLength(1);
  });

  it("does not resolve before the broker acknowledged: pending while the written batch's response is held back", async () => {
    const cluster = requireEmbedded(target);
    const topic = uniqueName('held');
    await createTopic(target.brokers, topic, 1);
    cluster.faults.delayResponses({ apiKey: ApiKey.Produce, ms: 1_500, count: 1 });
    const sent = app.producer.send(topic, [{ value: 'held' }]);
    // the broker has applied the write...
    await waitFor(() => (cluster.cluster.partition(topic, 0)?.logEndOffset ?? 0) >= 1, {
      message: 'write applied',
    });
    // ...but its response is still held back, so the send is still pending
    expect(await promiseState(sent)).toBe('pending');
    await expect(sent).resolves.toEqual([expect.objectContaining({ topic, partition: 0, offset: '0' })]);
  });

  it('resolves with the original offset when the response to an applied write is lost (idempotent retry, one copy)', async () => {
    const cluster = requireEmbedded(target);
    const topic = uniqueName('lost-ack');
    await createTopic(target.brokers, topic, 1);
    await app.producer.send(topic, [{ value: 'first' }]);
    cluster.faults.dropResponses({ apiKey: ApiKey.Produce, count: 1 });
    const [meta] = await app.producer.send(topic, [{ value: 'second' }]);
    expect(meta.offset).toBe('1');
    const records = await readBack(target.brokers, topic, 2, 500);
    expect(records.map((r) => r.value)).toEqual(['first', 'second']);
  });
});

function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(
      e instanceof Error ? `${e.name}: ${e.message} ${(e as { type?: string }).type ?? ''}` : String(e),
    );
  }
  return parts.join(' <- ');
}
