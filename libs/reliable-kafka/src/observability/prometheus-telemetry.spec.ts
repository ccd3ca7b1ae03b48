import { Counter, Registry } from 'prom-client';
import { InvalidConfigError } from '../errors/invalid-config.error';
import { FakeConsumer } from './fake-consumer.fixtures';
import { RELIABLE_KAFKA_METRICS } from './metric-names';
import { PrometheusTelemetry } from './prometheus-telemetry';

const ref = { groupId: 'billing', topic: 'orders', partition: 2 };

/** A series' value (a histogram's `_count`), 0 when no series has these labels. */
async function valueOf(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const values = (await metric.get()).values as Array<{
    metricName?: string;
    labels: Record<string, string | number>;
    value: number;
  }>;
  const match = values.find(
    (v) =>
      (v.metricName === undefined || v.metricName === `${name}_count`) &&
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return match?.value ?? 0;
}

describe('PrometheusTelemetry', () => {
  it('counts by group and topic, and a second instance on the same registry reuses the metrics', async () => {
    const registry = new Registry();
    const first = new PrometheusTelemetry(registry);
    const second = new PrometheusTelemetry(registry); // a second app in the same process must not throw
    first.messagesProcessed(ref, 3);
    second.messagesProcessed({ ...ref, partition: 0 }, 2);
    first.messageDeadLettered(ref, 'orders.dlt');
    const labels = { group: 'billing', topic: 'orders' };
    expect(await valueOf(registry, RELIABLE_KAFKA_METRICS.messagesProcessed, labels)).toBe(5);
    expect(
      await valueOf(registry, RELIABLE_KAFKA_METRICS.messagesDeadLettered, {
        ...labels,
        dead_letter_topic: 'orders.dlt',
      }),
    ).toBe(1);
  });

  it('prefixes names and refuses a registry holding another metric under one of them', () => {
    const registry = new Registry();
    new PrometheusTelemetry(registry, 'orders_');
    expect(registry.getSingleMetric(`orders_${RELIABLE_KAFKA_METRICS.messagesProcessed}`)).toBeDefined();
    const clash = new Registry();
    new Counter({
      name: RELIABLE_KAFKA_METRICS.messagesFailed,
      help: 'x',
      labelNames: ['other'],
      registers: [clash],
    });
    expect(() => new PrometheusTelemetry(clash)).toThrow(InvalidConfigError);
  });

  it('counts send errors and records the outcome of a handler call once', async () => {
    const registry = new Registry();
    const telemetry = new PrometheusTelemetry(registry);
    telemetry.producerSendObserved('orders', 0.01, true);
    telemetry.producerSendObserved('orders', 0.5, false);
    const end = telemetry.handlerCallStarted(ref, 'Orders.handle');
    end('failure');
    end('success');
    expect(await valueOf(registry, RELIABLE_KAFKA_METRICS.producerSendErrors, { topic: 'orders' })).toBe(1);
    const duration = RELIABLE_KAFKA_METRICS.handlerDuration;
    expect(await valueOf(registry, duration, { outcome: 'failure' })).toBe(1);
    expect(await valueOf(registry, duration, { outcome: 'success' })).toBe(0);
  });

  it('drops the lag series of partitions a rejoin took away from the group', async () => {
    const registry = new Registry();
    const telemetry = new PrometheusTelemetry(registry);
    const consumer = new FakeConsumer();
    telemetry.consumerCreated('Orders.handle', 'billing', consumer.asConsumer);
    telemetry.lagObserved({ ...ref, partition: 0 }, 5);
    telemetry.lagObserved({ ...ref, partition: 1 }, 7);
    consumer.join({ orders: [1] });
    const lag = await registry.getSingleMetric(RELIABLE_KAFKA_METRICS.consumerLag)!.get();
    expect(lag.values.map((v) => [v.labels.partition, v.value])).toEqual([['1', 7]]);
  });
});
