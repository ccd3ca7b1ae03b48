import { ErrorCode } from '../protocol/error-codes';
import { Cluster } from './cluster';
import { Partition } from './partition';
import { AdminResult, checkAssignment } from './topic-admin';

const OK: AdminResult = { code: ErrorCode.NONE, message: null };
const fail = (code: ErrorCode, message: string): AdminResult => ({ code, message });

/** CreatePartitions for one topic: only growth; new partitions are placed like Kafka's assignor or as given. */
export function addPartitions(
  cluster: Cluster,
  req: { name: string; count: number; assignments: ReadonlyArray<{ brokerIds: number[] | null }> | null },
  validateOnly: boolean,
): AdminResult {
  const topic = cluster.topics.get(req.name);
  if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${req.name}' does not exist.`);
  const current = topic.partitions.length;
  if (req.count === current)
    return fail(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
  if (req.count < current) {
    return fail(
      ErrorCode.INVALID_PARTITIONS,
      `Topic currently has ${current} partitions, which is higher than the requested ${req.count}.`,
    );
  }
  const added = req.count - current;
  let assignment: number[][];
  if (req.assignments && req.assignments.length > 0) {
    if (req.assignments.length !== added) {
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Increasing the number of partitions by ${added} but ${req.assignments.length} assignments provided.`,
      );
    }
    assignment = req.assignments.map((a) => a.brokerIds ?? []);
    const bad = checkAssignment(cluster, assignment);
    if (bad) return bad;
    if (assignment[0].length !== topic.replicationFactor) {
      return fail(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Inconsistent replication factor between partitions, partition 0 has ${topic.replicationFactor} while partitions [${current}] have replication factors [${assignment[0].length}], respectively.`,
      );
    }
  } else {
    const alive = cluster.aliveBrokers().map((b) => b.id);
    if (topic.replicationFactor > alive.length) {
      return fail(
        ErrorCode.INVALID_REPLICATION_FACTOR,
        `Replication factor: ${topic.replicationFactor} larger than available brokers: ${alive.length}.`,
      );
    }
    assignment = cluster.assign(added, topic.replicationFactor, alive, current);
  }
  if (validateOnly) return OK;
  assignment.forEach((replicas, i) =>
    topic.partitions.push(new Partition(topic.name, current + i, replicas, topic.config, cluster)),
  );
  cluster.notifyChange();
  return OK;
}
