import type { RetryPolicy } from '../../interfaces/batch-handler-options.interface';

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential from `initialDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so consumers that failed together spread out.
 */
export function backoffDelay(
  policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'>,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponential = policy.initialDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + (capped / 2) * random());
}

/** What a wait between attempts needs from the consumer. */
export interface WaitControls {
  heartbeat(): Promise<void>;
  /** True when the wait should end early (consumer stopping, partition revoked). */
  shouldStop(): boolean;
  /**
   * A heartbeat failed (typically REBALANCE_IN_PROGRESS): the caller marks the batch as stopping, so the wait
   * ends and the consumer can rejoin instead of holding the rebalance up until its timeout.
   */
  onHeartbeatError?(error: unknown): void;
}

/**
 * Waits `ms` while heartbeating, so the group does not evict a consumer that is backing off, and returns early
 * (false) when `shouldStop()` turns true. Returns true when the full delay elapsed.
 */
export async function waitWithHeartbeat(ms: number, controls: WaitControls, tickMs = 100): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (controls.shouldStop()) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(tickMs, until - Date.now())));
    await controls.heartbeat().catch((error: unknown) => controls.onHeartbeatError?.(error));
  }
  return !controls.shouldStop();
}
