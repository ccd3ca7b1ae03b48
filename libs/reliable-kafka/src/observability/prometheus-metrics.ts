import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { InvalidConfigError } from '../errors/invalid-config.error';
import { RELIABLE_KAFKA_METRICS as NAMES } from './metric-names';
import { METRICS_CONFIG_MESSAGES } from './observability.messages';

type GroupTopic = 'group' | 'topic';

/** The prom-client metrics behind `PrometheusTelemetry`. */
export interface ReliableKafkaMetrics {
  processed: Counter<GroupTopic>;
  failed: Counter<GroupTopic>;
  retried: Counter<GroupTopic>;
  deadLettered: Counter<GroupTopic | 'dead_letter_topic'>;
  deduplicated: Counter<GroupTopic>;
  handlerDuration: Histogram<GroupTopic | 'handler' | 'outcome'>;
  commitDuration: Histogram<GroupTopic | 'outcome'>;
  lag: Gauge<GroupTopic | 'partition'>;
  sinceProgress: Gauge<GroupTopic | 'partition'>;
  sendDuration: Histogram<'topic' | 'outcome'>;
  sendErrors: Counter<'topic'>;
}

// Handler calls range from milliseconds to the 5-minute default maxProcessingTimeMs.
const HANDLER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
// Commits and acked sends are a broker round trip, slower when it waits for replicas or retries.
const ROUND_TRIP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Where a progress gauge reads its values at scrape time (the latest module that uses it). */
const progressSources = new WeakMap<object, ProgressSource>();

/** Seconds since progress per partition, as the module's status tracks them. */
export type ProgressSource = () => Array<{
  ref: { groupId: string; topic: string; partition: number };
  seconds: number;
}>;

/** Makes `gauge` read its values from `source` at every scrape. */
export function readProgressFrom(gauge: Gauge<GroupTopic | 'partition'>, source: ProgressSource): void {
  progressSources.set(gauge, source);
}

function collectProgress(gauge: Gauge<GroupTopic | 'partition'>): void {
  const source = progressSources.get(gauge);
  if (!source) return;
  gauge.reset();
  for (const { ref, seconds } of source())
    gauge.set({ group: ref.groupId, topic: ref.topic, partition: String(ref.partition) }, seconds);
}

/**
 * Registers the module's metrics in `registry`, or reuses those already there under the same name (a second
 * module in the same process, or an app re-created in tests): prom-client throws on a duplicate registration.
 */
export function createReliableKafkaMetrics(registry: Registry, prefix: string): ReliableKafkaMetrics {
  const registers = [registry];
  const groupTopic = ['group', 'topic'] as const;
  /** The metric `create()` makes, or the one registered under its name already (same type and labels). */
  const metric = <M extends object>(
    kind: abstract new (...args: never[]) => M,
    name: string,
    labelNames: readonly string[],
    create: (name: string) => M,
  ): M => {
    const fullName = prefix + name;
    const existing: unknown = registry.getSingleMetric(fullName);
    if (existing === undefined) return create(fullName);
    const existingLabels = (existing as { labelNames?: string[] }).labelNames ?? [];
    if (!(existing instanceof kind) || existingLabels.join() !== labelNames.join()) {
      const { problem, fix } = METRICS_CONFIG_MESSAGES.typeClash(fullName);
      throw new InvalidConfigError('metrics', problem, fix);
    }
    return existing;
  };
  const counter = (name: string, help: string): Counter<GroupTopic> =>
    metric(
      Counter<GroupTopic>,
      name,
      groupTopic,
      (n) => new Counter({ name: n, help, labelNames: groupTopic, registers }),
    );
  const deadLetterLabels = [...groupTopic, 'dead_letter_topic'] as const;
  const handlerLabels = [...groupTopic, 'handler', 'outcome'] as const;
  const commitLabels = [...groupTopic, 'outcome'] as const;
  const lagLabels = [...groupTopic, 'partition'] as const;
  const sendLabels = ['topic', 'outcome'] as const;
  return {
    processed: counter(NAMES.messagesProcessed, 'Messages handled successfully.'),
    failed: counter(
      NAMES.messagesFailed,
      'Failed handling attempts, counted per message they were attributed to.',
    ),
    retried: counter(NAMES.messagesRetried, 'Failed messages scheduled for another attempt.'),
    deduplicated: counter(
      NAMES.messagesDeduplicated,
      'Messages skipped because their id was already processed.',
    ),
    deadLettered: metric(
      Counter,
      NAMES.messagesDeadLettered,
      deadLetterLabels,
      (name) =>
        new Counter({
          name,
          help: 'Messages published to a dead-letter topic.',
          labelNames: deadLetterLabels,
          registers,
        }),
    ),
    handlerDuration: metric(
      Histogram,
      NAMES.handlerDuration,
      handlerLabels,
      (name) =>
        new Histogram({
          name,
          help: 'Duration of one batch handler call.',
          labelNames: handlerLabels,
          buckets: HANDLER_BUCKETS,
          registers,
        }),
    ),
    commitDuration: metric(
      Histogram,
      NAMES.commitDuration,
      commitLabels,
      (name) =>
        new Histogram({
          name,
          help: 'Duration of one offset commit.',
          labelNames: commitLabels,
          buckets: ROUND_TRIP_BUCKETS,
          registers,
        }),
    ),
    lag: metric(
      Gauge,
      NAMES.consumerLag,
      lagLabels,
      (name) =>
        new Gauge({
          name,
          help: 'Messages after the batch being processed, up to the high watermark, per partition (at its last fetch).',
          labelNames: lagLabels,
          registers,
        }),
    ),
    sinceProgress: metric(
      Gauge,
      NAMES.partitionSecondsSinceProgress,
      lagLabels,
      (name) =>
        new Gauge({
          name,
          help: 'Seconds since the partition last moved (records handled, deduplicated, dead-lettered or committed).',
          labelNames: lagLabels,
          registers,
          collect() {
            collectProgress(this);
          },
        }),
    ),
    sendDuration: metric(
      Histogram,
      NAMES.producerSendDuration,
      sendLabels,
      (name) =>
        new Histogram({
          name,
          help: 'Duration of one reliable producer send(), retries included, until acked or rejected.',
          labelNames: sendLabels,
          buckets: ROUND_TRIP_BUCKETS,
          registers,
        }),
    ),
    sendErrors: metric(
      Counter,
      NAMES.producerSendErrors,
      ['topic'],
      (name) =>
        new Counter({
          name,
          help: 'Reliable producer sends that rejected.',
          labelNames: ['topic'] as const,
          registers,
        }),
    ),
  };
}
