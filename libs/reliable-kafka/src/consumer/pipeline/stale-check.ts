import type { EachBatchPayload } from 'kafkajs';

/**
 * `payload.isStale()` for the stop checks between handler calls, asked of kafkajs at most once per millisecond.
 * kafkajs builds a string key and looks it up on every call, and a batch of thousands of short calls asks several
 * times per call; a stop noticed up to 1 ms later starts no call that matters. Once stale it stays stale.
 * The committer asks `now()` right before each commit instead.
 */
export class StaleCheck {
  private stale = false;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly payload: Pick<EachBatchPayload, 'isStale'>,
    private readonly clock: () => number = () => performance.now(),
    private readonly maxAgeMs = 1,
  ) {}

  /** Whether the partition is stale, asked of kafkajs now (before a commit: never a millisecond late). */
  now(): boolean {
    if (!this.stale) this.stale = this.payload.isStale();
    return this.stale;
  }

  check(): boolean {
    if (this.stale) return true;
    const now = this.clock();
    if (now - this.checkedAt < this.maxAgeMs) return false;
    this.checkedAt = now;
    this.stale = this.payload.isStale();
    return this.stale;
  }
}
