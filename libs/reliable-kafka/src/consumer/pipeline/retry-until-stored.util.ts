import type { RetryPolicy } from '../../interfaces/batch-handler-options.interface';
import { backoffDelay, waitWithHeartbeat, type WaitControls } from './backoff.util';

/** How `retryUntilStored` waits between tries and tells of each failed one. */
export interface StoreRetry {
  readonly retry: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'>;
  readonly controls: WaitControls;
  /** Told of each failure before the wait (for the log line). */
  onFailure(error: unknown, delayMs: number): void;
}

/**
 * Runs `write` (a dedup mark, a dead letter's publish) until it succeeds: something that must land before the
 * pipeline may go past a record, so it is never skipped. Between tries it backs off with heartbeats. Resolves
 * true once written, false when the batch must stop first (nothing is then committed past the record).
 */
export async function retryUntilStored(write: () => Promise<void>, how: StoreRetry): Promise<boolean> {
  for (let failures = 1; ; failures++) {
    try {
      await write();
      return true;
    } catch (error) {
      const delay = backoffDelay(how.retry, failures);
      how.onFailure(error, delay);
      if (!(await waitWithHeartbeat(delay, how.controls))) return false;
    }
  }
}
