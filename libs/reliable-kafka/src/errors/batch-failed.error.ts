/**
 * Throw from a batch handler to say which message failed: messages before `index` succeeded and are
 * committed, the one at `index` and everything after it are delivered again.
 */
export class BatchFailedError extends Error {
  constructor(
    /** Index (in the array the handler received) of the first message that failed. */
    readonly index: number,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Batch failed at message index ${index}: ${reason}`);
    this.name = 'BatchFailedError';
  }
}
