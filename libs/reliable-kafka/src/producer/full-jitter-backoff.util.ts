/**
 * "Full jitter" backoff (AWS architecture blog): a uniformly random delay in [0, min(max, initial * 2^(n-1))).
 * Randomising the whole window spreads retries of many producers hitting the same broker problem.
 * @param attempt the attempt that just failed, from 1
 */
export function fullJitterDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random() * ceiling);
}
