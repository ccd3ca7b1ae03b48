import type { Consumer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { createReliableKafkaMetrics, type ReliableKafkaMetrics } from './prometheus-metrics';
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

  constructor(registry: Registry, prefix = '') {
    this.metrics = createReliableKafkaMetrics(registry, prefix);
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
    this.metrics.processed.inc(labels(ref), count);
  }

  messagesFailed(ref: PartitionRef, count: number): void {
    this.metrics.failed.inc(labels(ref), count);
  }

  messageRetried(ref: PartitionRef): void {
    this.metrics.retried.inc(labels(ref));
  }

  messageDeadLettered(ref: PartitionRef, deadLetterTopic: string): void {
    this.metrics.deadLettered.inc({ ...labels(ref), dead_letter_topic: deadLetterTopic });
  }

  messagesDeduplicated(ref: PartitionRef, count: number): void {
    this.metrics.deduplicated.inc(labels(ref), count);
  }

  handlerCallStarted(ref: PartitionRef, handlerName: string): (outcome: CallOutcome) => void {
    const stop = this.metrics.handlerDuration.startTimer({ ...labels(ref), handler: handlerName });
    let ended = false;
    return (outcome) => {
      if (ended) return;
      ended = true;
      stop({ outcome });
    };
  }

  commitObserved(ref: PartitionRef, seconds: number, ok: boolean): void {
    this.metrics.commitDuration.observe({ ...labels(ref), outcome: ok ? 'success' : 'failure' }, seconds);
  }

  lagObserved(ref: PartitionRef, lag: number): void {
    if (!Number.isFinite(lag)) return;
    this.metrics.lag.set(lagLabels(ref), lag);
    const series = this.lagSeries.get(ref.groupId) ?? new Map<string, PartitionRef>();
    series.set(`${ref.topic}/${ref.partition}`, ref);
    this.lagSeries.set(ref.groupId, series);
  }

  producerSendObserved(topic: string, seconds: number, ok: boolean): void {
    this.metrics.sendDuration.observe({ topic, outcome: ok ? 'success' : 'failure' }, seconds);
    if (!ok) this.metrics.sendErrors.inc({ topic });
  }
}

function labels(ref: PartitionRef): { group: string; topic: string } {
  return { group: ref.groupId, topic: ref.topic };
}

function lagLabels(ref: PartitionRef): { group: string; topic: string; partition: string } {
  return { group: ref.groupId, topic: ref.topic, partition: String(ref.partition) };
}
