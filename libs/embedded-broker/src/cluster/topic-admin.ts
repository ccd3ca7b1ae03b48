import { ErrorCode } from '../protocol/error-codes';
import { Cluster, CreateTopicSpec } from './cluster';
import { normalizeTopicConfigValue, validateTopicConfigs } from './config-validation';
import { isValidTopicName } from './topic';

/** The outcome of one topic admin operation, as CreateTopics / CreatePartitions report it. */
export interface AdminResult {
  readonly code: ErrorCode;
  readonly message: string | null;
}

const OK: AdminResult = { code: ErrorCode.NONE, message: null };
const fail = (code: ErrorCode, message: string): AdminResult => ({ code, message });

/** A CreateTopics entry as it arrives: -1 partitions / replication factor mean "broker default". */
export interface CreateTopicRequestEntry {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignments: ReadonlyArray<{ partitionIndex: number; brokerIds: number[] }>;
  readonly configs: ReadonlyArray<{ name: string; value: string | null }>;
}

/** Topic names that differ only by '.' versus '_' collide in Kafka's metric names, so Kafka refuses the second. */
function collidingTopic(cluster: Cluster, name: string): string | undefined {
  const norm = name.replace(/\./g, '_');
  return [...cluster.topics.keys()].find((t) => t !== name && t.replace(/\./g, '_') === norm);
}

/** Checks a replica assignment the way Kafka's controller does; returns the error, or null. */
export function checkAssignment(
  cluster: Cluster,
  assignment: ReadonlyArray<readonly number[]>,
): AdminResult | null {
  let rf = -1;
  for (const [i, replicas] of assignment.entries()) {
    if (replicas.length === 0)
      return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Empty replica list for partition ${i}.`);
    if (new Set(replicas).size !== replicas.length) {
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Duplicate brokers not allowed in replica assignment: ${replicas.join(', ')} for partition ${i}.`,
      );
    }
    const unknown = replicas.find((b) => !cluster.brokers.has(b));
    if (unknown !== undefined)
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Unknown broker ${unknown} in replica assignment for partition ${i}.`,
      );
    if (rf !== -1 && replicas.length !== rf) {
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `All partitions should have the same number of replicas (partition ${i} has ${replicas.length}, expected ${rf}).`,
      );
    }
    rf = replicas.length;
  }
  return null;
}

/**
 * Validates one CreateTopics entry completely (name, partitions, replication factor, assignment, configs) and
 * returns either the error Kafka would answer with or the spec to create.
 */
export function resolveCreateTopic(
  cluster: Cluster,
  t: CreateTopicRequestEntry,
): AdminResult | CreateTopicSpec {
  if (!isValidTopicName(t.name)) {
    return fail(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      `Topic name "${t.name}" is illegal: it must be 1-249 characters of [a-zA-Z0-9._-] and not '.' or '..'.`,
    );
  }
  if (cluster.topics.has(t.name))
    return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
  const collision = collidingTopic(cluster, t.name);
  if (collision)
    return fail(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      `Topic '${t.name}' collides with existing topic: ${collision}`,
    );
  const configError = validateTopicConfigs(t.configs);
  if (configError) return fail(ErrorCode.INVALID_CONFIG, configError);
  const configs = Object.fromEntries(
    t.configs.map((c) => [c.name, normalizeTopicConfigValue(c.name, c.value as string)]),
  );
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
      return fail(
        ErrorCode.INVALID_REQUEST,
        'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
      );
    }
    const sorted = [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
    if (sorted.some((a, i) => a.partitionIndex !== i)) {
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        'Partitions should be a consecutive 0-based integer sequence.',
      );
    }
    const assignments = sorted.map((a) => a.brokerIds);
    const bad = checkAssignment(cluster, assignments);
    if (bad) return bad;
    return {
      name: t.name,
      numPartitions: assignments.length,
      replicationFactor: assignments[0].length,
      assignments,
      configs,
    };
  }
  const numPartitions = t.numPartitions === -1 ? cluster.settings.defaultPartitions : t.numPartitions;
  const replicationFactor =
    t.replicationFactor === -1 ? cluster.settings.defaultReplicationFactor : t.replicationFactor;
  if (numPartitions <= 0)
    return fail(
      ErrorCode.INVALID_PARTITIONS,
      'Number of partitions was set to an invalid non-positive value.',
    );
  if (replicationFactor <= 0) {
    return fail(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      'Replication factor must be larger than 0, or -1 to use the default value.',
    );
  }
  const alive = cluster.aliveBrokers().length;
  if (replicationFactor > alive) {
    return fail(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Replication factor: ${replicationFactor} larger than available brokers: ${alive}.`,
    );
  }
  return { name: t.name, numPartitions, replicationFactor, configs };
}

/** Creates (or, with validateOnly, only checks) one topic. */
export function createTopicChecked(
  cluster: Cluster,
  t: CreateTopicRequestEntry,
  validateOnly: boolean,
): AdminResult {
  const spec = resolveCreateTopic(cluster, t);
  if ('code' in spec) return spec;
  if (validateOnly) return OK;
  const r = cluster.createTopic(spec);
  return r.ok ? OK : fail(r.code, r.message);
}
