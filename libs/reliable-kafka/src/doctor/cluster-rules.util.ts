import type { DoctorFinding } from './doctor-finding.interface';
import type { ClusterFacts } from './doctor-facts.interface';
import { DOCTOR_MESSAGES as M } from './doctor.messages';
import { RECOMMENDED_REPLICATION_FACTOR } from './topic-rules.util';

/** Broker defaults that make auto-created topics unsafe, on a cluster big enough to do better. */
export function checkCluster(c: ClusterFacts): DoctorFinding[] {
  if (c.brokerCount < RECOMMENDED_REPLICATION_FACTOR) return [];
  const autoCreate = c.brokerConfigs['auto.create.topics.enable'];
  const rf = c.brokerConfigs['default.replication.factor'];
  if (autoCreate !== 'true' || rf === undefined || Number(rf) >= RECOMMENDED_REPLICATION_FACTOR) return [];
  return [
    {
      severity: 'warning',
      setting: 'default.replication.factor',
      actual: rf,
      recommended: '3',
      ...M.autoCreateRf(rf),
    },
  ];
}
