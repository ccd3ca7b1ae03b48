/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. Generous by default: this is for eventually-true conditions, not for speed. */
  timeoutMs?: number;
  /** Pause between two checks. */
  intervalMs?: number;
  /** Says what was awaited; a function is called at timeout, so it can describe the state seen last. */
  message?: string | (() => string);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `predicate` until it returns a truthy value (which is returned) and throws, with `message`, when it has
 * not after `timeoutMs`. A predicate that throws counts as "not yet" (so jest `expect`s work inside), and the last
 * error is included in the timeout error.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 20_000, intervalMs = 50, message = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const what = typeof message === 'function' ? message() : message;
  const cause = lastError instanceof Error ? `\nlast error: ${lastError.message}` : '';
  throw new Error(`waitFor timed out after ${timeoutMs} ms: ${what}${cause}`, { cause: lastError });
}
