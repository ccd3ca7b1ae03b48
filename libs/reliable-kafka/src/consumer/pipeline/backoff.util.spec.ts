import { backoffDelay, waitWithHeartbeat } from './backoff.util';

describe('backoffDelay', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000 };

  it('doubles per attempt within [half, full] of the exponential value', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0)).toBe(200);
    expect(backoffDelay(policy, 3, () => 1)).toBe(400);
  });

  it('is capped by maxDelayMs', () => {
    expect(backoffDelay(policy, 20, () => 1)).toBe(1000);
    expect(backoffDelay(policy, 20, () => 0)).toBe(500);
  });
});

describe('waitWithHeartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('heartbeats while waiting and reports a full wait', async () => {
    const heartbeat = jest.fn().mockResolvedValue(undefined);
    const done = waitWithHeartbeat(450, { heartbeat, shouldStop: () => false }, 100);
    await jest.advanceTimersByTimeAsync(500);
    await expect(done).resolves.toBe(true);
    expect(heartbeat.mock.calls.length).toBeGreaterThanOrEqual(4);
  });

  it('ends early when asked to stop, and survives a failing heartbeat', async () => {
    let stop = false;
    const heartbeat = jest.fn().mockRejectedValue(new Error('rebalancing'));
    const done = waitWithHeartbeat(10_000, { heartbeat, shouldStop: () => stop }, 100);
    await jest.advanceTimersByTimeAsync(300);
    stop = true;
    await jest.advanceTimersByTimeAsync(100);
    await expect(done).resolves.toBe(false);
  });

  it('reports a failing heartbeat, so a rebalance ends the wait instead of waiting out the delay', async () => {
    let failed = false;
    const heartbeat = jest.fn().mockRejectedValue(new Error('The group is rebalancing'));
    const onHeartbeatError = jest.fn(() => (failed = true));
    const done = waitWithHeartbeat(60_000, { heartbeat, shouldStop: () => failed, onHeartbeatError }, 100);
    await jest.advanceTimersByTimeAsync(250);
    await expect(done).resolves.toBe(false);
    expect(onHeartbeatError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'The group is rebalancing' }),
    );
  });
});
