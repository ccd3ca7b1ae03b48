import { Cluster } from './cluster';
import { GroupCoordinator } from './group-coordinator';
import { TransactionCoordinator } from './txn-coordinator';

/**
 * Group and transaction coordinators. Their state is cluster-wide (as if kept in replicated internal topics),
 * but each group or transactional id is served by one live broker, chosen by hash; others answer NOT_COORDINATOR.
 */
export class Coordinators {
  readonly groups: GroupCoordinator;
  readonly txns: TransactionCoordinator;

  constructor(readonly cluster: Cluster) {
    this.groups = new GroupCoordinator(cluster, {
      minSessionTimeoutMs: cluster.settings.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: cluster.settings.groupMaxSessionTimeoutMs,
    });
    this.txns = new TransactionCoordinator(cluster, this.groups);
  }

  /** The live broker that coordinates `key` (a group id or transactional id); -1 when none is up. */
  coordinatorFor(key: string): number {
    const alive = this.cluster.aliveBrokers();
    if (alive.length === 0) return -1;
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
    return alive[Math.abs(h) % alive.length].id;
  }

  stop(): void {
    this.groups.stop();
    this.txns.stop();
  }
}
