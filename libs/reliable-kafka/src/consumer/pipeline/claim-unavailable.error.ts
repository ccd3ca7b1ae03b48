/** The dedup store could not claim a batch (unreachable, or ids held by another live consumer); the batch waits. */
export class ClaimUnavailableError extends Error {
  constructor(
    readonly groupId: string,
    readonly reason: 'unreachable' | 'busy',
    override readonly cause?: unknown,
  ) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    super(`Dedup store ${reason} for group "${groupId}"${detail}`);
    this.name = 'ClaimUnavailableError';
  }
}
