import { ErrorCode } from '../protocol/error-codes';
import { AckWaiters } from './ack-waiters';
import { computeIsr } from './isr.util';
import { PartitionLog, LogEntry } from './partition-log';
import { TopicConfig, BrokerSettings } from './configs';
import { TxnIndex } from './txn-index';

/** What a partition needs from its cluster: liveness, settings, fault state and a change signal. */
export interface PartitionHost {
  readonly settings: BrokerSettings;
  isAlive(brokerId: number): boolean;
  /** A follower the fault injector cut off from its leader: it stops replicating. */
  isIsolated(topic: string, partition: number, brokerId: number): boolean;
  replicationLagMs(brokerId: number): number;
  /** Called whenever the high watermark, LSO, leader or ISR changed (wakes long-polling fetches). */
  notifyChange(): void;
}

/** What a partition without a leader reports: no open transactions, nothing aborted. */
const NO_TXNS = new TxnIndex();

/**
 * One partition: its replicas' logs (each with its own producer state), leader, ISR and high watermark.
 * Replication is modelled, not networked: a follower "fetches" by taking references to the leader's entries,
 * immediately or after its configured lag, and derives its producer state from them.
 */
export class Partition {
  readonly logs = new Map<number, PartitionLog>();
  leader: number;
  leaderEpoch = 0;
  isr: number[];
  highWatermark = 0;
  private readonly ackWaiters = new AckWaiters();
  private behindSince = new Map<number, number>();
  private followerEpoch = new Map<number, number>();
  private replicationTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly topic: string,
    readonly index: number,
    public replicas: number[],
    readonly config: TopicConfig,
    private readonly host: PartitionHost,
  ) {
    for (const r of replicas) this.logs.set(r, new PartitionLog());
    this.leader = replicas.find((r) => host.isAlive(r)) ?? -1;
    this.isr = replicas.filter((r) => host.isAlive(r));
  }

  get leaderLog(): PartitionLog | undefined {
    return this.leader >= 0 ? this.logs.get(this.leader) : undefined;
  }

  get logStartOffset(): number {
    return this.leaderLog?.logStartOffset ?? 0;
  }

  get logEndOffset(): number {
    return this.leaderLog?.logEndOffset ?? 0;
  }

  /** The leader's transaction index (aborted ranges for read_committed fetches). */
  get txns(): TxnIndex {
    return this.leaderLog?.txns ?? NO_TXNS;
  }

  /** Last stable offset: read_committed sees nothing at or past an open or not yet replicated transaction. */
  get lastStableOffset(): number {
    const unstable = this.txns.firstUnstableOffset(this.highWatermark);
    return Math.min(this.highWatermark, unstable ?? Number.POSITIVE_INFINITY);
  }

  get minInsyncReplicas(): number {
    return this.config.number('min.insync.replicas');
  }

  offlineReplicas(): number[] {
    return this.replicas.filter((r) => !this.host.isAlive(r));
  }

  /** Appends stamped entries to the leader log and starts replicating them. */
  appendAsLeader(entries: LogEntry[]): void {
    const log = this.leaderLog;
    if (!log) throw new Error(`partition ${this.topic}-${this.index} has no leader`);
    for (const e of entries) log.append(e);
    this.scheduleReplication();
    this.maintain(Date.now());
  }

  /**
   * acks=-1: resolves once the high watermark passes `offset`, which the current leader epoch appended; with
   * NOT_LEADER_OR_FOLLOWER if leadership changes first, REQUEST_TIMED_OUT after `timeoutMs`.
   */
  awaitReplication(offset: number, timeoutMs: number): Promise<ErrorCode> {
    if (this.highWatermark > offset) {
      const enough = this.isr.length >= this.minInsyncReplicas;
      return Promise.resolve(enough ? ErrorCode.NONE : ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    }
    return this.ackWaiters.add(offset, this.leaderEpoch, timeoutMs);
  }

  private scheduleReplication(): void {
    const lag = Math.max(0, ...this.followers().map((f) => this.host.replicationLagMs(f)));
    if (lag === 0) {
      this.replicateNow();
      return;
    }
    if (this.replicationTimer) return;
    this.replicationTimer = setTimeout(() => {
      this.replicationTimer = null;
      this.replicateNow();
      this.maintain(Date.now());
    }, lag);
  }

  private followers(): number[] {
    return this.replicas.filter((r) => r !== this.leader);
  }

  /** Every live, connected follower catches up with the leader's log end. */
  replicateNow(): void {
    const leaderLog = this.leaderLog;
    if (!leaderLog) return;
    for (const f of this.followers()) {
      if (!this.host.isAlive(f) || this.host.isIsolated(this.topic, this.index, f)) continue;
      const log = this.logs.get(f) as PartitionLog;
      if (this.followerEpoch.get(f) !== this.leaderEpoch) {
        log.truncateToSharedPrefix(leaderLog);
        this.followerEpoch.set(f, this.leaderEpoch);
      }
      log.replicateFrom(leaderLog, leaderLog.logEndOffset);
    }
  }

  /** ISR shrink/expand, high watermark and ack waiters; runs after appends, replication and on a cluster tick. */
  maintain(now: number): void {
    const leaderLog = this.leaderLog;
    if (!leaderLog) return;
    const nextIsr = computeIsr(this, this.host, leaderLog.logEndOffset, this.behindSince, now);
    const isrChanged = nextIsr.join() !== this.isr.join();
    this.isr = nextIsr;
    const hw = Math.min(...this.isr.map((r) => (this.logs.get(r) as PartitionLog).logEndOffset));
    const hwMoved = hw > this.highWatermark;
    if (hwMoved) {
      this.highWatermark = hw;
      for (const log of this.logs.values()) log.txns.onHighWatermark(hw);
    }
    if (hwMoved || isrChanged) {
      const enough = this.isr.length >= this.minInsyncReplicas;
      this.ackWaiters.settle(this.highWatermark, this.leaderEpoch, enough);
      this.host.notifyChange();
    }
  }

  /**
   * Leader election after `leader` failed or was moved away: first live ISR member in assignment order (clean);
   * else, only with unclean.leader.election.enable, the first live replica, whose log wins (acked data is lost);
   * else the partition goes offline (leader -1) until an ISR member returns.
   */
  electLeader(preferred?: number): void {
    const alive = (r: number): boolean => this.host.isAlive(r);
    const clean = this.replicas.filter((r) => this.isr.includes(r) && alive(r));
    let next: number | undefined =
      preferred !== undefined && clean.includes(preferred) ? preferred : clean[0];
    let isr = clean;
    if (next === undefined && this.config.bool('unclean.leader.election.enable')) {
      next = this.replicas.find(alive);
      isr = next === undefined ? this.isr : [next];
    }
    // Whatever waits for acks from the old leader is answered now (DelayedProduce: no longer the leader).
    this.ackWaiters.failAll(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    if (next === undefined) {
      // As in Kafka, the ISR keeps its last member: only that replica may lead again in a clean election.
      const last = this.leader >= 0 ? this.leader : this.isr[0];
      this.isr = last === undefined ? [] : [last];
      this.leader = -1;
      this.leaderEpoch++;
      this.host.notifyChange();
      return;
    }
    this.leader = next;
    this.isr = isr;
    this.leaderEpoch++;
    const newLeo = (this.logs.get(next) as PartitionLog).logEndOffset;
    // The new leader's log is the truth: an HW above its end (unclean case) falls back to it.
    this.highWatermark = Math.min(this.highWatermark, newLeo);
    this.replicateNow();
    this.maintain(Date.now());
    this.host.notifyChange();
  }

  onBrokerDown(brokerId: number): void {
    if (!this.replicas.includes(brokerId)) return;
    if (brokerId === this.leader) {
      this.electLeader();
    } else if (this.isr.includes(brokerId)) {
      this.isr = this.isr.filter((r) => r !== brokerId);
      this.maintain(Date.now());
      this.host.notifyChange();
    }
  }

  onBrokerUp(brokerId: number): void {
    if (!this.replicas.includes(brokerId)) return;
    if (this.leader === -1) {
      const lastIsr = this.isr.includes(brokerId);
      if (lastIsr || this.config.bool('unclean.leader.election.enable')) {
        if (!lastIsr) this.isr = [brokerId];
        this.electLeader(brokerId);
        return;
      }
      return;
    }
    this.followerEpoch.delete(brokerId);
    this.replicateNow();
    this.maintain(Date.now());
  }

  close(): void {
    if (this.replicationTimer) clearTimeout(this.replicationTimer);
    this.ackWaiters.failAll(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  }
}
