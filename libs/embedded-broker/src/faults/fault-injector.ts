import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Cluster } from '../cluster/cluster';
import { BrokerServer } from '../server/broker-server';
import { RequestFaults } from './request-faults';

/**
 * The public fault-injection surface of an embedded cluster. Every method takes effect at once; request faults
 * apply to the next matching requests only, so a test states exactly how much goes wrong.
 */
export class FaultInjector {
  constructor(
    private readonly cluster: Cluster,
    private readonly servers: ReadonlyMap<number, BrokerServer>,
    readonly requests: RequestFaults,
  ) {}

  /** The next `count` requests of `apiKey` (optionally only on `brokerId`) get `errorCode`; they are not applied. */
  failNext(opts: { apiKey: ApiKey; errorCode: ErrorCode; count?: number; brokerId?: number }): void {
    if (opts.brokerId !== undefined) this.server(opts.brokerId);
    this.requests.add({ ...opts, action: { kind: 'error', errorCode: opts.errorCode } });
  }

  /** The next `count` requests are applied but their responses are lost (the "ack lost" case). */
  dropResponses(opts: {
    apiKey: ApiKey;
    count?: number;
    brokerId?: number;
    closeConnection?: boolean;
  }): void {
    if (opts.brokerId !== undefined) this.server(opts.brokerId);
    this.requests.add({ ...opts, action: { kind: 'drop', closeConnection: opts.closeConnection ?? true } });
  }

  /** The next `count` responses are held back for `ms` after the request was applied. */
  delayResponses(opts: { apiKey: ApiKey; ms: number; count?: number; brokerId?: number }): void {
    if (opts.brokerId !== undefined) this.server(opts.brokerId);
    this.requests.add({ ...opts, action: { kind: 'delay', ms: opts.ms } });
  }

  /** Hard kill: the broker vanishes without moving its leaderships first; leaders are re-elected after it. */
  async killBroker(brokerId: number): Promise<void> {
    await this.server(brokerId).stop();
    this.cluster.setBrokerAlive(brokerId, false);
  }

  /** Controlled shutdown: leadership moves to other ISR members before the broker goes away. */
  async stopBroker(brokerId: number): Promise<void> {
    for (const t of this.cluster.topics.values()) {
      for (const p of t.partitions) {
        if (p.leader !== brokerId) continue;
        const next = p.isr.find((r) => r !== brokerId && this.cluster.isAlive(r));
        if (next !== undefined) p.electLeader(next);
      }
    }
    await this.killBroker(brokerId);
  }

  /** Brings a stopped or killed broker back on its old port; its replicas truncate and catch up. */
  async restartBroker(brokerId: number): Promise<void> {
    await this.server(brokerId).start();
    this.cluster.setBrokerAlive(brokerId, true);
  }

  /** Moves a partition's leadership to another in-sync replica (preferred-leader election, reassignment). */
  moveLeader(topic: string, partition: number, toBrokerId: number): void {
    const p = this.cluster.partition(topic, partition);
    if (!p) throw new Error(`unknown partition ${topic}-${partition}`);
    if (!p.isr.includes(toBrokerId))
      throw new Error(`broker ${toBrokerId} is not in the ISR of ${topic}-${partition}`);
    p.electLeader(toBrokerId);
  }

  /** The follower stops replicating this partition; after replica.lag.time.max.ms it leaves the ISR. */
  isolateFollower(topic: string, partition: number, brokerId: number): void {
    this.replica(topic, partition, brokerId);
    this.cluster.replicationFaults.isolate(topic, partition, brokerId);
  }

  reconnectFollower(topic: string, partition: number, brokerId: number): void {
    this.replica(topic, partition, brokerId);
    this.cluster.replicationFaults.reconnect(topic, partition, brokerId);
    this.cluster.partition(topic, partition)?.replicateNow();
  }

  /** Followers on `brokerId` copy new batches only after `ms` (null restores the cluster default). */
  setReplicationLag(brokerId: number, ms: number | null): void {
    this.server(brokerId);
    this.cluster.replicationFaults.setLag(brokerId, ms);
  }

  /** Closes every client connection of one broker (or all), as a network blip would. */
  closeConnections(brokerId?: number): void {
    if (brokerId !== undefined) this.server(brokerId);
    for (const [id, s] of this.servers) if (brokerId === undefined || id === brokerId) s.closeConnections();
  }

  /** Forgets request faults that have not been hit yet. */
  clear(): void {
    this.requests.clear();
  }

  /** Throws unless `brokerId` holds a replica of the partition: faults on anything else would silently do nothing. */
  private replica(topic: string, partition: number, brokerId: number): void {
    const p = this.cluster.partition(topic, partition);
    if (!p) throw new Error(`unknown partition ${topic}-${partition}`);
    if (!p.replicas.includes(brokerId)) {
      throw new Error(`broker ${brokerId} has no replica of ${topic}-${partition}`);
    }
  }

  private server(id: number): BrokerServer {
    const s = this.servers.get(id);
    if (!s) throw new Error(`no broker ${id}`);
    return s;
  }
}
