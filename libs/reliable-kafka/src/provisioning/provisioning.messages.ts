import type { TopicChange } from './topic-spec.interface';

/** Problem/fix pairs for TopicProvisioningError and provisioning log lines. */
export const PROVISIONING_MESSAGES = {
  positiveInteger: (field: string, got: unknown) => ({
    problem: `${field} must be a positive integer, got ${JSON.stringify(got)}`,
    fix: `set ${field} to a whole number greater than zero`,
  }),
  emptyName: () => ({ problem: 'the topic name is empty', fix: 'give every topic spec a name' }),
  duplicate: () => ({
    problem:
      "the topic is planned twice (two specs, or a spec colliding with another spec's .dlt / .retry topic)",
    fix: 'list each topic once',
  }),
  configValue: (name: string, got: unknown) => ({
    problem: `config ${name} must be a string, got ${JSON.stringify(got)}`,
    fix: `write it as a string, e.g. '${String(got)}'`,
  }),
  rfTooHigh: (rf: number, brokers: number) => ({
    problem: `replication factor ${rf} is larger than the ${brokers} live broker(s)`,
    fix: 'lower replicationFactor or start more brokers',
  }),
  createFailed: (reason: string) => ({
    problem: `the cluster refused to create it: ${reason}`,
    fix: 'check the topic spec (name, partitions, configs) and the broker logs',
  }),
  alterFailed: (reason: string) => ({
    problem: `the cluster refused to change it: ${reason}`,
    fix: 'check the topic spec and the broker logs, or change the topic by hand',
  }),
  created: (name: string, partitions: number, rf: number, configs: Record<string, string>) =>
    `Created topic ${name} (partitions ${partitions}, replication factor ${rf}, ${Object.entries(configs)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')})`,
  altered: (topic: string, changes: readonly TopicChange[]) =>
    `Changed topic ${topic}: ${changes.map(describeChange).join('; ')}`,
  pending: (topic: string, changes: readonly TopicChange[], allowChanges: boolean) =>
    `Topic ${topic} differs from its spec and was not changed: ${changes.map(describeChange).join('; ')}. ${
      allowChanges
        ? 'These need a partition reassignment (kafka-reassign-partitions.sh) or recreating the topic.'
        : 'Set allowTopicChanges: true to apply what can be applied.'
    }`,
};

function describeChange(c: TopicChange): string {
  return `${c.setting} ${c.actual} -> ${c.desired}`;
}
