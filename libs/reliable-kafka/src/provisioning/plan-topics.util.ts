import { PROVISIONING_MESSAGES as M } from './provisioning.messages';
import { TopicProvisioningError } from './topic-provisioning.error';
import { deadLetterTopicName, retryTopicName } from './topic-names.util';
import type { PlannedTopic, TopicSpec } from './topic-spec.interface';

/** Replication factor of a provisioned topic: 3, or every broker on a smaller cluster. */
export function safeReplicationFactor(brokerCount: number): number {
  return Math.max(1, Math.min(3, brokerCount));
}

/**
 * The safe configs for a replication factor: min.insync.replicas = RF - 1 when RF >= 2, so acks=all writes need
 * two copies on a 3-broker cluster yet survive one broker outage; unclean leader election off.
 */
export function safeTopicConfigs(replicationFactor: number): Record<string, string> {
  return {
    'min.insync.replicas': String(replicationFactor >= 2 ? replicationFactor - 1 : 1),
    'unclean.leader.election.enable': 'false',
  };
}

/** The configs a topic should have: the safe defaults, overridden by what its spec sets explicitly. */
export function desiredConfigs(plan: PlannedTopic, replicationFactor: number): Record<string, string> {
  return { ...safeTopicConfigs(replicationFactor), ...plan.explicitConfigs };
}

const isPositiveInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

function validate(spec: TopicSpec): void {
  const fail = (m: { problem: string; fix: string }): never => {
    throw new TopicProvisioningError(spec.name ?? '', m.problem, m.fix);
  };
  if (typeof spec.name !== 'string' || spec.name.trim() === '') fail(M.emptyName());
  if (!isPositiveInt(spec.partitions)) fail(M.positiveInteger('partitions', spec.partitions));
  if (spec.replicationFactor !== undefined && !isPositiveInt(spec.replicationFactor)) {
    fail(M.positiveInteger('replicationFactor', spec.replicationFactor));
  }
  for (const d of spec.retryDelaysMs ?? [])
    if (!isPositiveInt(d)) fail(M.positiveInteger('retryDelaysMs[]', d));
  for (const [k, v] of Object.entries(spec.configs ?? {}))
    if (typeof v !== 'string') fail(M.configValue(k, v));
}

/** Kafka's default `max.message.bytes` (a topic that does not set its own). */
export const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** Room a dead letter or retry-stage copy needs beyond the original record for its failure headers. */
export const FAILURE_HEADERS_ROOM_BYTES = 65_536;

/**
 * Copies of a topic's records (its dead letters, its retry stages) carry extra headers: they accept records
 * larger than the topic itself by FAILURE_HEADERS_ROOM_BYTES, so any record the topic accepted fits.
 */
function copyConfigs(spec: TopicSpec): Record<string, string> {
  const own = Number(spec.configs?.['max.message.bytes'] ?? KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
  return { 'max.message.bytes': String(own + FAILURE_HEADERS_ROOM_BYTES) };
}

/** Expands specs into the topics to provision: each topic, its `.dlt` and its `.retry.<delay>` stages. */
export function planTopics(specs: readonly TopicSpec[], brokerCount: number): PlannedTopic[] {
  const plans: PlannedTopic[] = [];
  for (const spec of specs) {
    validate(spec);
    const rf = spec.replicationFactor ?? safeReplicationFactor(brokerCount);
    const base = { spec: spec.name, partitions: spec.partitions, replicationFactor: rf };
    plans.push({ ...base, name: spec.name, role: 'topic', explicitConfigs: { ...spec.configs } });
    if (spec.deadLetter !== false)
      plans.push({
        ...base,
        name: deadLetterTopicName(spec.name),
        role: 'dead-letter',
        explicitConfigs: copyConfigs(spec),
      });
    for (const delay of new Set(spec.retryDelaysMs ?? [])) {
      plans.push({
        ...base,
        name: retryTopicName(spec.name, delay),
        role: 'retry',
        explicitConfigs: copyConfigs(spec),
      });
    }
  }
  const seen = new Set<string>();
  for (const p of plans) {
    if (seen.has(p.name)) {
      const m = M.duplicate();
      throw new TopicProvisioningError(p.name, m.problem, m.fix);
    }
    seen.add(p.name);
  }
  return plans;
}
