/** Postgres SQLSTATE classes of an answer about the data itself: 22 data exception, 23 integrity, 54 limits. */
const REFUSAL_CLASSES = new Set(['22', '23', '54']);

/**
 * True when the store answered and refused the data of a call (it will refuse it again), as opposed to not
 * answering (connection lost, timeout, the server restarting), which a wait may cure. Keys are fixed-size digests,
 * so a refusal should not happen; if it does, the records fail instead of freezing their partition.
 */
export function isStoreRefusal(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length === 5 && REFUSAL_CLASSES.has(code.slice(0, 2));
}

/**
 * The dedup store did not answer (connection refused, timeout, server error), or refused a call's data
 * (`refused`). Unreachable: the consumer pauses and retries; it never skips a message or commits past it.
 * Refused: the records fail (retried, then dead-lettered with this reason); the partition moves on. At startup
 * (`operation` 'connect') the application does not start.
 */
export class DedupStoreUnavailableError extends Error {
  /** The store answered and refused the data (see isStoreRefusal). */
  readonly refused: boolean;

  constructor(
    /** Which store failed: 'redis', 'postgres', ... */
    readonly store: string,
    /** The operation that failed: 'claim', 'markDone', 'release', 'ping', 'connect'. */
    readonly operation: string,
    /** The underlying error. */
    override readonly cause?: unknown,
  ) {
    const refused = isStoreRefusal(cause);
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Dedup store '${store}' ${refused ? 'refused' : 'is unavailable'} (${operation} failed: ${reason}). ${consequence(operation, refused)}`,
      {
        cause,
      },
    );
    this.name = 'DedupStoreUnavailableError';
    this.refused = refused;
  }
}

function consequence(operation: string, refused: boolean): string {
  if (operation === 'connect' || operation === 'init')
    return 'The application did not start. Fix: check the dedup store settings (dedup.url / dedup.dataSource) and that the store is running.';
  return refused
    ? 'The records of this call fail (retried, then dead-lettered with this reason); nothing is skipped silently.'
    : 'The consumer pauses and retries; messages are neither skipped nor committed.';
}
