import type { Consumer } from 'kafkajs';
import type { Registry } from 'prom-client';
import {
  createReliableKafkaMetrics,
  readProgressFrom,
  type ProgressSource,
  type ReliableKafkaMetrics,
} from './prometheus-metrics';
import type { CallOutcome, PartitionRef, ReliableKafkaTelemetry } from './telemetry.interface';

/**
 * Telemetry as Prometheus metrics. Counters are labelled by group and topic only, not partition: their series
 * stay bounded by groups x topics however many partitions a topic has, and per-partition trouble shows in the
 * lag gauge (the one metric labelled by partition) and in the logs.
 */
export class PrometheusTelemetry implements ReliableKafkaTelemetry {
  private readonly metrics: ReliableKafkaMetrics;
  /** Lag series set per group, so the series of partitions a rebalance moved away can be removed. */
  private readonly lagSeries = new Map<string, Map<string, PartitionRef>>();
  /**
   * Label objects per group and topic, and handler-duration observers per handler and outcome: events fire per
   * handler call, and building (and for the timer, merging) label objects each time was a visible cost.
   */
  private readonly series = new Map<string, GroupTopicSeries>();
  /** The same, by ref object: the runtime passes one ref per batch, so most lookups build no key at all. */
  private readonly seriesByRef = new WeakMap<PartitionRef, GroupTopicSeries>();

  constructor(registry: Registry, prefix = '', progress?: ProgressSource) {
    this.metrics = createReliableKafkaMetrics(registry, prefix);
    if (progress) readProgressFrom(this.metrics.sinceProgress, progress);
  }

  consumerCreated(_handler: string, groupId: string, consumer: Consumer): void {
    // A partition this member no longer owns would keep reporting its last lag forever.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = payload.memberAssignment;
      for (const [key, ref] of this.lagSeries.get(groupId) ?? []) {
        if (assigned[ref.topic]?.includes(ref.partition)) continue;
        this.metrics.lag.remove(lagLabels(ref));
        this.lagSeries.get(groupId)?.delete(key);
      }
    });
  }

  messagesProcessed(ref: PartitionRef, count: number): void {
    this.metrics.processed.inc(this.seriesOf(ref).labels, count);
  }

  messagesFailed(ref: PartitionRef, count: number): void {
    this.metrics.failed.inc(this.seriesOf(ref).labels, count);
  }

  messageRetried(ref: PartitionRef): void {
    this.metrics.retried.inc(this.seriesOf(ref).labels);
  }

  messageDeadLettered(ref: PartitionRef, deadLetterTopic: string): void {
    this.metrics.deadLettered.inc({ ...this.seriesOf(ref).labels, dead_letter_topic: deadLetterTopic });
  }

  messagesDeduplicated(ref: PartitionRef, count: number): void {
    this.metrics.deduplicated.inc(this.seriesOf(ref).labels, count);
  }

  handlerCallStarted(ref: PartitionRef, handlerName: string): (outcome: CallOutcome) => void {
    const observers = this.handlerObservers(ref, handlerName);
    const started = performance.now();
    let ended = false;
    return (outcome) => {
      if (ended) return;
      ended = true;
      observers[outcome]((performance.now() - started) / 1000);
    };
  }

  commitObserved(ref: PartitionRef, seconds: number, ok: boolean): void {
    const { commit } = this.seriesOf(ref);
    (ok ? commit.success : commit.failure)(seconds);
  }

  lagObserved(ref: PartitionRef, lag: number): void {
    if (!Number.isFinite(lag)) return;
    this.metrics.lag.set(lagLabels(ref), lag);
    const series = this.lagSeries.get(ref.groupId) ?? new Map<string, PartitionRef>();
    series.set(`${ref.topic}/${ref.partition}`, ref);
    this.lagSeries.set(ref.groupId, series);
  }

  private seriesOf(ref: PartitionRef): GroupTopicSeries {
    const cached = this.seriesByRef.get(ref);
    if (cached) return cached;
    const key = `${ref.groupId}\u0000${ref.topic}`;
    let found = this.series.get(key);
    if (!found) {
      const labels = { group: ref.groupId, topic: ref.topic };
      const commit = (outcome: CallOutcome): Observe =>
        this.metrics.commitDuration.labels({ ...labels, outcome }).observe;
      found = {
        labels,
        commit: { success: commit('success'), failure: commit('failure') },
        handlers: new Map(),
      };
      this.series.set(key, found);
    }
    this.seriesByRef.set(ref, found);
    return found;
  }

  private handlerObservers(ref: PartitionRef, handler: string): Record<CallOutcome, Observe> {
    const series = this.seriesOf(ref);
    let found = series.handlers.get(handler);
    if (!found) {
      const labels = { ...series.labels, handler };
      const observer = (outcome: CallOutcome): Observe =>
        this.metrics.handlerDuration.labels({ ...labels, outcome }).observe;
      found = { success: observer('success'), failure: observer('failure') };
      series.handlers.set(handler, found);
    }
    return found;
  }

  /** Waits show in health and in the seconds-since-progress gauge (read from the status at scrape time). */
  partitionWaiting(): void {}

  producerSendObserved(topic: string, seconds: number, ok: boolean): void {
    this.metrics.sendDuration.observe({ topic, outcome: ok ? 'success' : 'failure' }, seconds);
    if (!ok) this.metrics.sendErrors.inc({ topic });
  }
}

type Observe = (seconds: number) => void;

/** What is kept per group and topic (see `PrometheusTelemetry.series`). */
interface GroupTopicSeries {
  labels: { group: string; topic: string };
  commit: Record<CallOutcome, Observe>;
  handlers: Map<string, Record<CallOutcome, Observe>>;
}

function lagLabels(ref: PartitionRef): { group: string; topic: string; partition: string } {
  return { group: ref.groupId, topic: ref.topic, partition: String(ref.partition) };
}
