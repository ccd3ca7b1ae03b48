import { fullJitterDelay } from './full-jitter-backoff.util';
import { isRetriableKafkaError } from './kafka-error.util';

/** Bounds of one delivery's retries. */
export interface RetryWindow {
  /** Epoch ms after which no attempt is started and an attempt in flight is abandoned. */
  deadline: number;
  initialRetryTimeMs: number;
  maxRetryTimeMs: number;
}

/** Outcome of `retryUntilDeadline`. */
export type RetryOutcome<T> =
  { ok: true; value: T; attempts: number } | { ok: false; cause: unknown; attempts: number };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it resolves, a non-retriable error occurs, or the deadline passes.
 * Delays between attempts use full-jitter exponential backoff; a delay that would end past the deadline is not
 * taken. An attempt still running at the deadline is abandoned (its outcome is unknown: the caller reports failure,
 * and the idempotent producer plus the stamped message id make a later resend harmless).
 */
export async function retryUntilDeadline<T>(
  attempt: (n: number) => Promise<T>,
  window: RetryWindow,
  isRetriable: (error: unknown) => boolean = isRetriableKafkaError,
  random: () => number = Math.random,
): Promise<RetryOutcome<T>> {
  let lastError: unknown = new Error('delivery timeout elapsed before the first attempt');
  for (let n = 1; ; n++) {
    const remaining = window.deadline - Date.now();
    if (remaining <= 0) return { ok: false, cause: lastError, attempts: n - 1 };
    const result = await raceDeadline(attempt(n), remaining);
    if (result.kind === 'value') return { ok: true, value: result.value, attempts: n };
    if (result.kind === 'timeout') {
      const cause = new Error(
        `delivery timeout reached with attempt ${n} still in flight (outcome unknown)`,
        {
          cause: lastError,
        },
      );
      return { ok: false, cause, attempts: n };
    }
    lastError = result.error;
    if (!isRetriable(result.error)) return { ok: false, cause: result.error, attempts: n };
    const delay = fullJitterDelay(n, window.initialRetryTimeMs, window.maxRetryTimeMs, random);
    if (Date.now() + delay >= window.deadline) return { ok: false, cause: lastError, attempts: n };
    await sleep(delay);
  }
}

type Raced<T> = { kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

async function raceDeadline<T>(work: Promise<T>, ms: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  try {
    return await Promise.race([
      work.then(
        (value): Raced<T> => ({ kind: 'value', value }),
        (error: unknown): Raced<T> => ({ kind: 'error', error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
