/**
 * The dedup store did not answer (connection refused, timeout, server error).
 * The consumer runtime must pause and retry on it; it must never skip a message or commit past it.
 */
export class DedupStoreUnavailableError extends Error {
  constructor(
    /** Which store failed: 'redis', 'postgres', ... */
    readonly store: string,
    /** The operation that failed: 'claim', 'markDone', 'release', 'ping', 'connect'. */
    readonly operation: string,
    /** The underlying error. */
    override readonly cause?: unknown,
  ) {
    super(
      `Dedup store '${store}' is unavailable (${operation} failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }). The consumer should pause and retry; messages are neither skipped nor committed.`,
    );
    this.name = 'DedupStoreUnavailableError';
  }
}
