import { ErrorCode } from '../protocol/error-codes';
import { PartitionLog, LogEntry } from './partition-log';
import { TopicConfig, BrokerSettings } from './configs';
import { ProducerStateTable } from './producer-state';
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

interface AckWaiter {
  readonly offset: number;
  readonly minIsr: number;
  readonly resolve: (code: ErrorCode) => void;
}

/**
 * One partition: its replicas' logs, leader, ISR and high watermark. Replication is modelled, not networked:
 * a follower "fetches" by taking references to the leader's entries, immediately or after its configured lag.
 */
export class Partition {
  readonly logs = new Map<number, PartitionLog>();
  readonly producers = new ProducerStateTable();
  readonly txns = new TxnIndex();
  leader: number;
  leaderEpoch = 0;
  isr: number[];
  highWatermark = 0;
  private ackWaiters: AckWaiter[] = [];
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

  /** Last stable offset: consumers in read_committed see nothing at or past an open transaction. */
  get lastStableOffset(): number {
    return Math.min(this.highWatermark, this.txns.firstOpenOffset() ?? Number.POSITIVE_INFINITY);
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

  /** Resolves when the high watermark passes `offset` (acks=-1), or with an error code on timeout. */
  awaitReplication(offset: number, timeoutMs: number): Promise<ErrorCode> {
    if (this.highWatermark > offset) return Promise.resolve(this.isrCheck());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ackWaiters = this.ackWaiters.filter((w) => w !== waiter);
        resolve(ErrorCode.REQUEST_TIMED_OUT);
      }, timeoutMs);
      const waiter: AckWaiter = {
        offset,
        minIsr: this.minInsyncReplicas,
        resolve: (code) => {
          clearTimeout(timer);
          resolve(code);
        },
      };
      this.ackWaiters.push(waiter);
    });
  }

  private isrCheck(): ErrorCode {
    return this.isr.length < this.minInsyncReplicas
      ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND
      : ErrorCode.NONE;
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
        this.truncateDivergence(log, leaderLog);
        this.followerEpoch.set(f, this.leaderEpoch);
      }
      log.replicateFrom(leaderLog, leaderLog.logEndOffset);
    }
  }

  /** A follower keeps only the prefix it shares with the leader; entries are shared objects, so identity tells. */
  private truncateDivergence(log: PartitionLog, leaderLog: PartitionLog): void {
    const mine = log.entriesFrom(log.logStartOffset);
    let keepUntil = log.logStartOffset;
    for (const e of mine) {
      const theirs = leaderLog.entriesFrom(e.baseOffset)[0];
      if (theirs !== e) break;
      keepUntil = e.lastOffset + 1;
    }
    if (keepUntil < log.logEndOffset) log.truncateTo(keepUntil);
  }

  /** ISR shrink/expand, high watermark and ack waiters; runs after appends, replication and on a cluster tick. */
  maintain(now: number): void {
    const leaderLog = this.leaderLog;
    if (!leaderLog) return;
    const leo = leaderLog.logEndOffset;
    const lagMax = this.host.settings.replicaLagTimeMaxMs;
    const nextIsr: number[] = [];
    for (const r of this.replicas) {
      if (r === this.leader) {
        nextIsr.push(r);
        continue;
      }
      if (!this.host.isAlive(r)) continue;
      const caughtUp = (this.logs.get(r) as PartitionLog).logEndOffset >= leo;
      if (caughtUp) this.behindSince.delete(r);
      else if (!this.behindSince.has(r)) this.behindSince.set(r, now);
      const inIsr = this.isr.includes(r);
      const behindTooLong = now - (this.behindSince.get(r) ?? now) > lagMax;
      if ((inIsr && !behindTooLong) || (!inIsr && caughtUp)) nextIsr.push(r);
    }
    const isrChanged = nextIsr.join() !== this.isr.join();
    this.isr = nextIsr;
    const hw = Math.min(...this.isr.map((r) => (this.logs.get(r) as PartitionLog).logEndOffset));
    const hwMoved = hw > this.highWatermark;
    if (hwMoved) this.highWatermark = hw;
    if (hwMoved || isrChanged) {
      this.resolveAckWaiters();
      this.host.notifyChange();
    }
  }

  private resolveAckWaiters(): void {
    if (this.ackWaiters.length === 0) return;
    const ready = this.ackWaiters.filter((w) => this.highWatermark > w.offset);
    this.ackWaiters = this.ackWaiters.filter((w) => this.highWatermark <= w.offset);
    for (const w of ready)
      w.resolve(this.isr.length < w.minIsr ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND : ErrorCode.NONE);
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
    for (const w of this.ackWaiters) w.resolve(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    this.ackWaiters = [];
  }
}
