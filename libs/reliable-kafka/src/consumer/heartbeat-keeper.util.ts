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
