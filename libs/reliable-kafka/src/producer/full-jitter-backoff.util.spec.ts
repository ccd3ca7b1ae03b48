import { fullJitterDelay } from './full-jitter-backoff.util';

describe('fullJitterDelay', () => {
  it('spans [0, initial * 2^(n-1)) and is capped at max', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((n) => fullJitterDelay(n, 100, 1_000, top))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(fullJitterDelay(3, 100, 1_000, () => 0)).toBe(0);
    expect(fullJitterDelay(3, 100, 1_000, () => 0.5)).toBe(200);
  });

  it('does not overflow for huge attempt numbers', () => {
    expect(fullJitterDelay(10_000, 100, 5_000, () => 0.5)).toBe(2_500);
  });
});
