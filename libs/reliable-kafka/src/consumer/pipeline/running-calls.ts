/**
 * The handler calls in flight (of one application), so shutdown can give them up after `shutdownTimeoutMs`;
 * each call's own timeout is its own business.
 */
export class RunningCalls {
  private readonly calls = new Set<() => void>();
  private abandoned = false;

  /**
   * Registers a call by the function that gives it up; returns the function that deregisters it. A call that
   * starts after `abandonAll` is given up at once.
   */
  add(giveUp: () => void): () => void {
    if (this.abandoned) giveUp();
    this.calls.add(giveUp);
    return () => this.calls.delete(giveUp);
  }

  /** Gives up every call in flight, and every call that still starts. */
  abandonAll(): void {
    this.abandoned = true;
    for (const giveUp of [...this.calls]) giveUp();
  }
}
