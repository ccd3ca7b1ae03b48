import { Cluster } from './cluster';
import { GroupCoordinator } from './group-coordinator';

/** PLACEHOLDER — the transactions helper replaces this file. */
export class TransactionCoordinator {
  constructor(
    readonly cluster: Cluster,
    readonly groups: GroupCoordinator,
  ) {}
  stop(): void {}
}
