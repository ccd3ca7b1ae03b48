import { ErrorCode } from '../protocol/error-codes';

interface AckWaiter {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly resolve: (code: ErrorCode) => void;
}

/**
 * acks=-1 requests waiting for the high watermark, as in Kafka's produce purgatory (DelayedProduce). Each one is
 * bound to the leader epoch it was appended under: a leadership change answers it NOT_LEADER_OR_FOLLOWER, because
 * the new leader's log may not hold its records and the client alone can find out (an idempotent retry does).
 */
export class AckWaiters {
  private waiters: AckWaiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /** Resolves with the outcome, or REQUEST_TIMED_OUT after `timeoutMs` (DelayedProduce's initial status). */
  add(offset: number, leaderEpoch: number, timeoutMs: number): Promise<ErrorCode> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(ErrorCode.REQUEST_TIMED_OUT);
      }, timeoutMs);
      const waiter: AckWaiter = {
        offset,
        leaderEpoch,
        resolve: (code) => {
          clearTimeout(timer);
          resolve(code);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Partition.checkEnoughReplicasReachOffset for every waiter: those of another leader epoch are no longer the
   * leader's to answer; those below the high watermark are done, with NOT_ENOUGH_REPLICAS_AFTER_APPEND when the
   * ISR is now smaller than min.insync.replicas.
   */
  settle(highWatermark: number, leaderEpoch: number, enoughReplicas: boolean): void {
    if (this.waiters.length === 0) return;
    const keep: AckWaiter[] = [];
    for (const w of this.waiters) {
      if (w.leaderEpoch !== leaderEpoch) w.resolve(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      else if (highWatermark > w.offset)
        w.resolve(enoughReplicas ? ErrorCode.NONE : ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
      else keep.push(w);
    }
    this.waiters = keep;
  }

  /** Answers everyone with `code` (leadership lost, partition deleted, broker stopping). */
  failAll(code: ErrorCode): void {
    const all = this.waiters;
    this.waiters = [];
    for (const w of all) w.resolve(code);
  }
}
