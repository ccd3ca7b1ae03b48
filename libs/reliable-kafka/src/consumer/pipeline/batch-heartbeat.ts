/**
 * Heartbeats about every `intervalMs` while a handler runs, so a long batch does not get the consumer evicted from
 * its group. A failed heartbeat (usually a rebalance) is reported once through `onError`; the runner then
 * stops at the next message boundary. Returns a function that stops the timer.
 */
export function keepHeartbeating(
  heartbeat: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
): () => void {
  let reported = false;
  // kafkajs drops a heartbeat sent sooner than the interval after the last one, so tick twice as often.
  const timer = setInterval(
    () => {
      heartbeat().catch((error: unknown) => {
        if (!reported) onError(error);
        reported = true;
      });
    },
    Math.max(50, Math.floor(intervalMs / 2)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One background heartbeat for every handler call of a batch, instead of a timer per call (with many short
 * calls in flight, creating and clearing a timer each was a visible share of a call). It starts with the
 * batch's first call and runs until the batch ends; between calls it only adds heartbeats kafkajs throttles.
 */
export class BatchHeartbeat {
  private stopTimer: (() => void) | null = null;

  constructor(
    private readonly heartbeat: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Makes sure the heartbeat runs (called as each handler call starts). */
  ensureRunning(): void {
    this.stopTimer ??= keepHeartbeating(this.heartbeat, this.intervalMs, this.onError);
  }

  /** Stops it (when the batch ends). */
  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }
}
