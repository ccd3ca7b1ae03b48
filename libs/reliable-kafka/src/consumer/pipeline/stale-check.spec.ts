import { StaleCheck } from './stale-check';

describe('StaleCheck', () => {
  it('asks kafkajs at most once per interval and stays stale once it was', () => {
    let now = 0;
    let stale = false;
    let asked = 0;
    const check = new StaleCheck(
      {
        isStale: () => {
          asked++;
          return stale;
        },
      },
      () => now,
      1,
    );
    expect(check.check()).toBe(false);
    expect(check.check()).toBe(false);
    expect(asked).toBe(1);
    stale = true;
    now = 0.5;
    expect(check.check()).toBe(false); // within the interval: the cached answer
    now = 1;
    expect(check.check()).toBe(true);
    stale = false;
    now = 5;
    expect(check.check()).toBe(true);
    expect(asked).toBe(2);
  });
});
