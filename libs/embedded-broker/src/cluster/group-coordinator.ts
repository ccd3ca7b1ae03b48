import { Cluster } from './cluster';

/** PLACEHOLDER — the consumer-group helper replaces this file. */
export class GroupCoordinator {
  constructor(readonly cluster: Cluster) {}
  stop(): void {}
}
