import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { OffsetTracker } from './offset-tracker';
import type { StaleCheck } from './stale-check';

/**
 * The one owner of completion and commit for one kafkajs batch (one partition): the pipeline's steps report the
 * records that completed (`complete`), and this alone decides what may be committed (the end of the contiguous
 * completed prefix, see OffsetTracker) and commits it, never past an unfinished record.
 *
 * Commits are pipelined: `complete()` does not wait, so the next handler call need not wait for the
 * previous call's OffsetCommit round trip. They are single-flight and coalesced: while one commit is in flight
 * (or waits out `commitIntervalMs` since the previous one), later completions only move the mark; then one
 * more commit covers all of them. The batch awaits `flush()` before it returns. Only after a commit succeeded
 * is the fetch position moved (`resolveOffset`).
 * Right before each commit the partition is checked: once stale (revoked, sought) nothing more is committed.
 */
export class PartitionCommitter {
  private readonly tracker = new OffsetTracker();
  private lastCommitted: string | null = null;
  /** True while a drain runs; set and cleared synchronously, so a request is never lost in between. */
  private draining = false;
  private inFlight: Promise<void> = Promise.resolve();
  /**
   * Set when a commit failed (usually a rebalance: the generation is gone). Retrying in place cannot help: the
   * batch stops starting calls, and `flush()` hands the error back to kafkajs, which rejoins and fetches from
   * the last committed offset.
   */
  private failure: { error: unknown } | null = null;
  /** Background work that completes records when it lands (dedup marks, see `track`); flush awaits it. */
  private readonly landing = new Set<Promise<void>>();

  /** When the last commit was sent (performance.now()). */
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** Set by `flush`: from then on commits go out at once. */
  private urgent = false;
  /** Ends the wait between two commits early (flush). */
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly payload: EachBatchPayload,
    /** Asked right before each commit: a revoked or sought partition is not ours to commit any more. */
    private readonly stale: Pick<StaleCheck, 'now'>,
    /** Told how long each commit took and whether the broker took it (commit latency metric). */
    private readonly onCommit: (seconds: number, ok: boolean) => void = () => undefined,
    /** Least time between two commits (`commitIntervalMs`); `flush` never waits for it. */
    private readonly minIntervalMs = 0,
  ) {}

  /** Registers records about to be handled, in log order; records already begun are left as they are. */
  begin(records: readonly KafkaMessage[]): void {
    for (const r of records) if (!this.tracker.has(r.offset)) this.tracker.begin(r.offset);
  }

  /** True once a commit failed: the batch must stop, and `flush()` hands the error back to kafkajs. */
  get failed(): boolean {
    return this.failure !== null;
  }

  /**
   * Records completed: handled, known done by dedup, or dead-lettered with an ack (their dedup ids must already
   * be marked done). Starts a commit of the completed prefix unless one is in flight (that one commits again
   * when it returns).
   */
  complete(records: readonly KafkaMessage[]): void {
    for (const r of records) this.tracker.complete(r.offset);
    this.requestCommit();
  }

  /**
   * Registers background work that completes records itself when it lands (and leaves them unfinished when it
   * does not): `flush()` waits for it before the last commit, so the batch does not return with it pending.
   */
  track(work: Promise<unknown>): void {
    const tracked: Promise<void> = work
      .then(() => undefined)
      .catch(() => undefined) // the work handles its own failure; here it only has to be over
      .finally(() => this.landing.delete(tracked));
    this.landing.add(tracked);
  }

  private requestCommit(): void {
    if (this.draining || this.failure) return;
    this.draining = true;
    this.inFlight = this.drain();
  }

  /** Waits for every commit requested so far (and the ones they coalesced); rejects if any failed. */
  async flush(): Promise<void> {
    this.urgent = true;
    this.wakeUp?.();
    for (;;) {
      if (this.landing.size > 0) await Promise.all(this.landing);
      else if (this.draining) await this.inFlight;
      else if (this.failure) throw this.failure.error;
      else if (this.pending()) this.requestCommit();
      else return;
    }
  }

  /** True when a completed offset is not committed yet and may still be (no failure, not stale). */
  private pending(): boolean {
    const next = this.tracker.committable();
    return next !== null && next !== this.lastCommitted && !this.failure && !this.stale.now();
  }

  /** Commits until the mark stops moving, the partition went stale, or a commit failed. Never rejects. */
  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (!this.pending()) return;
        const wait = this.lastSentAt + this.minIntervalMs - performance.now();
        if (wait > 0 && !this.urgent) {
          await this.pause(wait);
          continue;
        }
        this.lastSentAt = performance.now();
        await this.send(this.tracker.committable() as string);
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.draining = false;
    }
  }

  /** Waits `ms`, or less if `flush` wakes it up. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wakeUp?.(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  private async send(next: string): Promise<void> {
    const { batch } = this.payload;
    const lastCompleted = (BigInt(next) - 1n).toString();
    const lastRecord = batch.messages[batch.messages.length - 1];
    // A transactional producer leaves a control record after the last message; kafkajs filters it out, so
    // committing the batch's own last offset + 1 keeps the group from lagging by that marker forever.
    const offset =
      lastRecord && lastRecord.offset === lastCompleted ? (BigInt(batch.lastOffset()) + 1n).toString() : next;
    const started = performance.now();
    try {
      await this.payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
      });
    } catch (error) {
      this.onCommit((performance.now() - started) / 1000, false);
      throw error;
    }
    this.onCommit((performance.now() - started) / 1000, true);
    this.payload.resolveOffset(lastCompleted);
    this.lastCommitted = next;
  }
}
