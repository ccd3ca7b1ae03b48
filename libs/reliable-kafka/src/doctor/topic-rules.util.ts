import type { DoctorFinding, DoctorSeverity } from './doctor-finding.interface';
import type { ClusterFacts, TopicFacts } from './doctor-facts.interface';
import { DOCTOR_MESSAGES as M, ReasonAndFix } from './doctor.messages';

/** The replication factor the doctor recommends: 3, or fewer when the cluster is smaller. */
export const RECOMMENDED_REPLICATION_FACTOR = 3;

/** The min.insync.replicas that tolerates one broker outage without stopping writes: RF - 1, at least 1. */
export function recommendedMinIsr(replicationFactor: number): number {
  return Math.max(1, replicationFactor - 1);
}

function finding(
  severity: DoctorSeverity,
  topic: string,
  setting: string,
  actual: string | number | boolean,
  recommended: string | number | boolean,
  text: ReasonAndFix,
): DoctorFinding {
  return { severity, topic, setting, actual: String(actual), recommended: String(recommended), ...text };
}

/** Replication factor >= 3; on a single-broker cluster RF 1 is explained as development-only. */
export function checkReplicationFactor(t: TopicFacts, cluster: ClusterFacts): DoctorFinding[] {
  const rf = t.replicationFactor;
  if (rf >= RECOMMENDED_REPLICATION_FACTOR) return [];
  if (cluster.brokerCount === 1)
    return [finding('info', t.name, 'replication.factor', rf, 3, M.singleBrokerRf())];
  if (cluster.brokerCount < RECOMMENDED_REPLICATION_FACTOR && rf >= cluster.brokerCount) {
    return [finding('warning', t.name, 'replication.factor', rf, 3, M.smallClusterRf(cluster.brokerCount))];
  }
  return [
    finding(
      'error',
      t.name,
      'replication.factor',
      rf,
      Math.min(3, cluster.brokerCount),
      M.rfTooLow(t.name, rf),
    ),
  ];
}

/** min.insync.replicas >= 2 and < replication factor. */
export function checkMinInsyncReplicas(t: TopicFacts): DoctorFinding[] {
  const rf = t.replicationFactor;
  const minIsr = t.minInsyncReplicas;
  const want = recommendedMinIsr(rf);
  const setting = 'min.insync.replicas';
  if (minIsr > rf) return [finding('error', t.name, setting, minIsr, want, M.minIsrAboveRf(t.name, want))];
  // With one replica there is no better value; the replication factor finding covers it.
  if (rf < 2) return [];
  if (rf === 2) {
    // Neither 1 nor 2 is safe with two replicas: name the trade-off instead of recommending the impossible.
    return minIsr === 1
      ? [finding('warning', t.name, setting, minIsr, 2, M.minIsrTwoReplicas(t.name))]
      : [finding('warning', t.name, setting, minIsr, 1, M.minIsrEqualsRf(t.name, 1))];
  }
  if (minIsr < 2) return [finding('error', t.name, setting, minIsr, want, M.minIsrTooLow(t.name, want))];
  if (minIsr === rf)
    return [finding('warning', t.name, setting, minIsr, want, M.minIsrEqualsRf(t.name, want))];
  return [];
}

/** unclean.leader.election.enable must be false. */
export function checkUncleanElection(t: TopicFacts): DoctorFinding[] {
  if (!t.uncleanLeaderElection) return [];
  return [finding('error', t.name, 'unclean.leader.election.enable', true, false, M.uncleanOn(t.name))];
}

const list = (ids: number[]): string => ids.sort((a, b) => a - b).join(', ');

/** Current state of the partitions: a leader each, ISR >= min.insync.replicas, fully replicated. */
export function checkInsyncReplicas(t: TopicFacts): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const leaderless = t.partitions.filter((p) => p.leader < 0).map((p) => p.partition);
  if (leaderless.length > 0)
    out.push(finding('error', t.name, 'leader', 'none', 'a live broker', M.noLeader(list(leaderless))));
  const belowMin = t.partitions.filter((p) => p.isr.length < t.minInsyncReplicas);
  if (belowMin.length > 0) {
    const smallest = Math.min(...belowMin.map((p) => p.isr.length));
    const text = M.isrBelowMin(list(belowMin.map((p) => p.partition)));
    out.push(finding('error', t.name, 'isr', smallest, `>= ${t.minInsyncReplicas}`, text));
    return out;
  }
  const under = t.partitions.filter((p) => p.isr.length < p.replicas.length);
  if (under.length > 0) {
    const smallest = Math.min(...under.map((p) => p.isr.length));
    out.push(
      finding(
        'warning',
        t.name,
        'isr',
        smallest,
        t.replicationFactor,
        M.underReplicated(list(under.map((p) => p.partition))),
      ),
    );
  }
  return out;
}

/** Every topic-level rule for one existing topic. */
export function checkTopic(t: TopicFacts, cluster: ClusterFacts): DoctorFinding[] {
  return [
    ...checkReplicationFactor(t, cluster),
    ...checkMinInsyncReplicas(t),
    ...checkUncleanElection(t),
    ...checkInsyncReplicas(t),
  ];
}
