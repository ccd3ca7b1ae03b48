/** Outcome of one handler invocation as seen by the commit step. */
export type SettlementOutcome = 'pending' | 'succeeded' | 'failed';

/**
 * The commit step of one handler invocation, created by the batch runner and driven by
 * `CommitAfterSuccessInterceptor`: `succeed()` after the handler's observable completed, `fail()` on its error.
 */
export interface BatchSettlement {
  readonly outcome: SettlementOutcome;
  /**
   * Marks the batch's ids done (in the background: the next call need not wait for it), and once that landed
   * hands its offsets to the partition's committer, which commits them in the background (coalesced, never past
   * an unfinished message); the batch awaits both before returning.
   */
  succeed(): Promise<void>;
  /** Commits only the prefix a `BatchFailedError` vouches for; releases the other claims. Never rejects. */
  fail(error: unknown): Promise<void>;
}
