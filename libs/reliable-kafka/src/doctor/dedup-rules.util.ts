import type { DedupFacts } from './doctor-facts.interface';
import type { DoctorFinding } from './doctor-finding.interface';
import { DOCTOR_MESSAGES as M } from './doctor.messages';

/**
 * A dedup store is only as good as its memory across restarts: a Redis without persistence forgets every done id
 * when it restarts. Warnings, not errors: a cache-only Redis is a choice, but one that must be made knowingly.
 */
export function checkDedupStore(d: DedupFacts): DoctorFinding[] {
  if (d.store !== 'redis') return [];
  const finding = (
    severity: DoctorFinding['severity'],
    actual: string,
    text: { reason: string; fix: string },
  ) => [
    { severity, setting: 'dedup.store (redis persistence)', actual, recommended: 'appendonly yes', ...text },
  ];
  switch (d.persistence) {
    case 'none':
      return finding('warning', 'appendonly no, save ""', M.redisWithoutPersistence());
    case 'snapshots':
      return finding('warning', 'appendonly no (RDB snapshots only)', M.redisSnapshotsOnly());
    case 'unknown':
      return finding('info', 'unknown (CONFIG GET refused)', M.redisPersistenceUnknown());
    case 'durable':
      return [];
  }
}
