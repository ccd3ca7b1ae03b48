import { retryUntilDeadline } from './retry-until-deadline.util';

const retriable = Object.assign(new Error('NOT_ENOUGH_REPLICAS'), { retriable: true });
const fatal = Object.assign(new Error('MESSAGE_TOO_LARGE'), { retriable: false });

describe('retryUntilDeadline', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const window = (ms: number) => ({
    deadline: Date.now() + ms,
    initialRetryTimeMs: 100,
    maxRetryTimeMs: 1_000,
  });

  it('retries transient errors with backoff and resolves with the value', async () => {
    const attempt = jest
      .fn<Promise<string>, [number]>()
      .mockRejectedValueOnce(retriable)
      .mockRejectedValueOnce(retriable)
      .mockResolvedValue('acked');
    const result = retryUntilDeadline(attempt, window(10_000), undefined, () => 0.5);
    await jest.advanceTimersByTimeAsync(50); // first delay: 0.5 * 100
    expect(attempt).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(100); // second delay: 0.5 * 200
    await expect(result).resolves.toEqual({ ok: true, value: 'acked', attempts: 3 });
  });

  it('gives up with the last error when the next delay would pass the deadline', async () => {
    const attempt = jest.fn<Promise<string>, [number]>().mockRejectedValue(retriable);
    let settledAt = 0;
    const result = retryUntilDeadline(attempt, window(1_000), undefined, () => 0.99).finally(
      () => (settledAt = Date.now()),
    );
    await jest.advanceTimersByTimeAsync(5_000);
    const outcome = await result;
    expect(outcome).toEqual({ ok: false, cause: retriable, attempts: attempt.mock.calls.length });
    expect(settledAt).toBeLessThanOrEqual(1_000_000 + 1_000);
    // delays 99 + 198 + 396 = 693; the next (792) would end past 1000
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it('does not retry a non-retriable error', async () => {
    const attempt = jest.fn<Promise<string>, [number]>().mockRejectedValue(fatal);
    await expect(retryUntilDeadline(attempt, window(10_000))).resolves.toEqual({
      ok: false,
      cause: fatal,
      attempts: 1,
    });
  });

  it('abandons an attempt still in flight at the deadline and reports the outcome unknown', async () => {
    const attempt = jest.fn<Promise<string>, [number]>(() => new Promise(() => undefined));
    const result = retryUntilDeadline(attempt, window(2_000));
    await jest.advanceTimersByTimeAsync(1_999);
    let settled = false;
    void result.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const outcome = await result;
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(1);
    expect(String((outcome as { cause: Error }).cause.message)).toMatch(/in flight/);
  });
});
