import { shownValue } from '../options/shown-value.util';

/** User-facing messages of metrics and health, so wording stays consistent and greppable. */

/** Problem/fix pairs for `InvalidConfigError` on the `metrics` option. */
export const METRICS_CONFIG_MESSAGES = {
  metrics: (got: unknown) => ({
    problem: `expected an object or false, got ${shownValue(got)}`,
    fix: 'pass metrics: { registry?, prefix? }, or metrics: false to turn metrics off',
  }),
  registry: () => ({
    problem: 'metrics.registry is not a prom-client Registry',
    fix: "pass new Registry() from 'prom-client' (the same copy your /metrics endpoint reads), or omit it",
  }),
  prefix: (got: unknown) => ({
    problem: `${shownValue(got)} is not a valid Prometheus metric name prefix`,
    fix: "use letters, digits, '_' and ':' only, not starting with a digit (e.g. 'orders_')",
  }),
  typeClash: (name: string) => ({
    problem: `the registry already holds a metric named '${name}' of another type or with other labels`,
    fix: 'pass metrics.prefix to keep the names apart, or a registry of their own (metrics.registry)',
  }),
};

/** Why the health indicator reports down; one line per failed check. */
export const HEALTH_MESSAGES = {
  consumerDown: (handler: string, groupId: string, state: string) =>
    `consumer of ${handler} (group ${groupId}) is ${state}`,
  stalledPartition: (
    groupId: string,
    topic: string,
    partition: number,
    seconds: number,
    reason: string,
    lag: number,
  ) =>
    `group ${groupId} ${topic}[${partition}] has made no progress for ${seconds} s with ${lag} record(s) waiting (${reason})`,
  stuckCall: (handler: string, topic: string, partition: number, runningForMs: number, limitMs: number) =>
    `${handler} has been handling ${topic}[${partition}] for ${runningForMs} ms (maxProcessingTimeMs ${limitMs})`,
  dedupUnreachable: (reason: string) => `dedup store unreachable: ${reason}`,
  dedupTimeout: (ms: number) => `no answer within ${ms} ms`,
  producerDisconnected: () => 'reliable producer is not connected',
};
