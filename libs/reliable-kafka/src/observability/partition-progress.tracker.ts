import type { PartitionRef, PartitionWait } from './telemetry.interface';

/** A partition that has work waiting and has not moved for longer than its bound. */
export interface StalledPartition {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** Records behind it when its last batch was fetched. */
  readonly lag: number;
  readonly sinceProgressMs: number;
  /** What it waits for, when the runtime said (else it just made no progress). */
  readonly reason: PartitionWait | 'no progress';
}

interface Progress {
  readonly ref: PartitionRef;
  lastProgressAt: number;
  lag: number;
  waiting: PartitionWait | undefined;
  /** Forgotten by `keepOnly` (the partition moved away): a ref that still points here gets a new entry. */
  dropped?: boolean;
}

/**
 * When each partition last moved (records handled, deduplicated, dead-lettered or forwarded, offsets committed),
 * how far behind it is, and what it waits for. Fed by telemetry; read by health (`stalled`) and metrics.
 */
export class PartitionProgressTracker {
  private readonly partitions = new Map<string, Progress>();
  /** The same entries by ref object: the runtime passes one ref per batch, so most events build no key. */
  private readonly byRef = new WeakMap<PartitionRef, Progress>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** The partition moved. */
  progressed(ref: PartitionRef): void {
    const p = this.entry(ref);
    p.lastProgressAt = this.clock();
    p.waiting = undefined;
  }

  /** A batch was fetched with `lag` records behind it. */
  lagged(ref: PartitionRef, lag: number): void {
    const p = this.entry(ref);
    if (p.lag === 0 && lag > 0) p.lastProgressAt = this.clock(); // work arrived: the clock starts now
    p.lag = lag;
  }

  waiting(ref: PartitionRef, reason: PartitionWait): void {
    this.entry(ref).waiting = reason;
  }

  /** Seconds since each tracked partition last moved (for the metric). */
  secondsSinceProgress(): Array<{ ref: PartitionRef; seconds: number }> {
    const now = this.clock();
    return [...this.partitions.values()].map((p) => ({
      ref: p.ref,
      seconds: (now - p.lastProgressAt) / 1000,
    }));
  }

  /**
   * Partitions with work (lag, or a wait) that have not moved for longer than `boundOf(groupId)`, except those
   * with a handler call running (`busy`): a long call is judged by the stuck-call check instead.
   */
  stalled(
    boundOf: (groupId: string) => number | undefined,
    busy: (ref: PartitionRef) => boolean,
  ): StalledPartition[] {
    const now = this.clock();
    const out: StalledPartition[] = [];
    for (const p of this.partitions.values()) {
      const bound = boundOf(p.ref.groupId);
      const since = now - p.lastProgressAt;
      if (bound === undefined || since <= bound || (p.lag === 0 && !p.waiting) || busy(p.ref)) continue;
      const { groupId, topic, partition } = p.ref;
      out.push({
        groupId,
        topic,
        partition,
        lag: p.lag,
        sinceProgressMs: since,
        reason: p.waiting ?? 'no progress',
      });
    }
    return out.sort((a, b) => b.sinceProgressMs - a.sinceProgressMs);
  }

  /** Forgets partitions this group no longer owns. */
  keepOnly(groupId: string, assigned: Readonly<Record<string, number[]>>): void {
    for (const [key, p] of this.partitions)
      if (p.ref.groupId === groupId && !assigned[p.ref.topic]?.includes(p.ref.partition)) {
        p.dropped = true;
        this.partitions.delete(key);
      }
  }

  private entry(ref: PartitionRef): Progress {
    const cached = this.byRef.get(ref);
    if (cached && !cached.dropped) return cached;
    const key = keyOf(ref);
    let p = this.partitions.get(key);
    if (!p) {
      p = {
        ref: { groupId: ref.groupId, topic: ref.topic, partition: ref.partition },
        lastProgressAt: this.clock(),
        lag: 0,
        waiting: undefined,
      };
      this.partitions.set(key, p);
    }
    this.byRef.set(ref, p);
    return p;
  }
}

const keyOf = (ref: PartitionRef): string => `${ref.groupId}\u0000${ref.topic}\u0000${ref.partition}`;
