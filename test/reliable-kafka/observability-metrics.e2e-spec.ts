import { Injectable } from '@nestjs/common';
import { Registry, type Gauge } from 'prom-client';
import {
  RELIABLE_KAFKA_METRICS,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ReliableKafkaModuleOptions,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  produceJson,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';

jest.setTimeout(120_000);

type Job = { n: number };
/** What the handler does with a job on its `attempt`-th sight of it. */
type Behaviour = (job: Job, attempt: number) => void;

function consumerFor(topic: string, groupId: string, seen: number[], behaviour: Behaviour) {
  const sightings = new Map<number, number>();
  @Injectable()
  class JobsConsumer {
    @ReliableBatchHandler({ topic, groupId, fromBeginning: true })
    async handle(messages: ReliableMessage<Job>[]): Promise<void> {
      for (const { value } of messages) {
        const attempt = (sightings.get(value.n) ?? 0) + 1;
        sightings.set(value.n, attempt);
        behaviour(value, attempt);
      }
      seen.push(...messages.map((m) => m.value.n));
    }
  }
  return JobsConsumer;
}

type MetricValue = Awaited<ReturnType<Gauge['get']>>['values'][number];

/** Sum of a metric's series whose labels include `labels` (for a histogram: its `_count` series). */
async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  // Histograms report _bucket, _sum and _count series (named in metricName); counters and gauges one unnamed.
  const values = (await metric.get()).values as Array<MetricValue & { metricName?: string }>;
  return values
    .filter((v) => v.metricName === undefined || v.metricName === `${name}_count`)
    .filter((v) => Object.entries(labels).every(([key, value]) => String(v.labels[key]) === value))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('Prometheus metrics of the reliable consumer (real kafkajs over TCP)', () => {
  const bed = useConsumerTestbed();

  /** A topic, its group, an app with its own registry, and the labels its counters carry. */
  async function scenario(
    name: string,
    behaviour: Behaviour,
    extra: Partial<ReliableKafkaModuleOptions> = {},
  ) {
    const topic = uniqueName(name);
    const groupId = uniqueName(`${name}-group`);
    await createTopic(bed.tools, topic);
    await createTopic(bed.tools, `${topic}.dlt`);
    const registry = new Registry();
    const seen: number[] = [];
    const app = await startApp(
      ReliableKafkaModule.forRoot(testOptions(bed.target.brokers, { ...extra, metrics: { registry } })),
      { providers: [consumerFor(topic, groupId, seen, behaviour)] },
    );
    bed.apps.push(app);
    const value = (metric: string, labels: Record<string, string> = {}) =>
      metricValue(registry, metric, { group: groupId, topic, ...labels });
    const committed = (offset: string) =>
      waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === offset, {
        message: `${groupId} committed ${topic} up to ${offset}`,
      });
    return { topic, groupId, registry, seen, value, committed };
  }

  it('counts exactly the messages processed, observes commits and handler calls, and reports lag', async () => {
    const s = await scenario('metrics-ok', () => undefined);
    await produceJson(
      bed.tools,
      s.topic,
      [1, 2, 3, 4, 5, 6, 7].map((n) => ({ n })),
    );
    await s.committed('7');
    expect(s.seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesProcessed)).toBe(7);
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesFailed)).toBe(0);
    expect(await s.value(RELIABLE_KAFKA_METRICS.commitDuration, { outcome: 'success' })).toBeGreaterThan(0);
    expect(
      await s.value(RELIABLE_KAFKA_METRICS.handlerDuration, {
        handler: 'JobsConsumer.handle',
        outcome: 'success',
      }),
    ).toBeGreaterThan(0);
    const lag = await s.registry.getSingleMetric(RELIABLE_KAFKA_METRICS.consumerLag)!.get();
    expect(lag.values).toEqual([
      expect.objectContaining({ labels: { group: s.groupId, topic: s.topic, partition: '0' } }),
    ]);
    expect(lag.values[0].value).toBeGreaterThanOrEqual(0);
  });

  it('counts a failure and its retry when a handler fails once', async () => {
    const s = await scenario('metrics-retry', (job, attempt) => {
      if (job.n === 1 && attempt === 1) throw new Error('transient');
    });
    await produceJson(bed.tools, s.topic, [{ n: 1 }]);
    await s.committed('1');
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesFailed)).toBe(1);
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesRetried)).toBe(1);
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesProcessed)).toBe(1);
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesDeadLettered)).toBe(0);
    expect(await s.value(RELIABLE_KAFKA_METRICS.handlerDuration, { outcome: 'failure' })).toBe(1);
  });

  it('counts one dead letter for a poison message, after its retries', async () => {
    const s = await scenario('metrics-poison', (job) => {
      if (job.n === 13) throw new Error('poison');
    });
    await produceJson(bed.tools, s.topic, [{ n: 13 }]);
    await s.committed('1');
    await waitFor(async () => (await s.value(RELIABLE_KAFKA_METRICS.messagesDeadLettered)) > 0);
    // testOptions allow 2 attempts: fail, retry, fail, dead-letter.
    expect(
      await s.value(RELIABLE_KAFKA_METRICS.messagesDeadLettered, { dead_letter_topic: `${s.topic}.dlt` }),
    ).toBe(1);
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesFailed)).toBe(2);
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesRetried)).toBe(1);
    expect(s.seen).toEqual([]);
  });

  it('counts a message skipped as a duplicate when the same id is sent twice with dedup on', async () => {
    const s = await scenario('metrics-dedup', () => undefined, { dedup: { store: 'memory' } });
    const sameId = () => ({ 'message-id': 'job-1' });
    await produceJson(bed.tools, s.topic, [{ n: 1 }], sameId);
    await s.committed('1');
    await produceJson(bed.tools, s.topic, [{ n: 1 }], sameId);
    await s.committed('2');
    expect(s.seen).toEqual([1]);
    expect(await s.value(RELIABLE_KAFKA_METRICS.messagesDeduplicated)).toBe(1);
  });
});
