import { CallLimiter } from './call-limiter';
import type { WaitControls } from './backoff.util';

function controls(stop = () => false): WaitControls & { beats: number } {
  const c = {
    beats: 0,
    heartbeat: async () => void c.beats++,
    shouldStop: stop,
  };
  return c;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('CallLimiter', () => {
  it('grants up to `slots` at once and queues the rest', async () => {
    const limiter = new CallLimiter(2);
    const c = controls();
    const a = await limiter.acquire(c);
    const b = await limiter.acquire(c);
    let third: (() => void) | null = null;
    void limiter.acquire(c).then((r) => (third = r));
    await flush();
    expect(limiter.inUse).toBe(2);
    expect(limiter.queued).toBe(1);
    expect(third).toBeNull();
    a?.();
    await flush();
    expect(third).not.toBeNull();
    expect(limiter.inUse).toBe(2);
    b?.();
    (third as unknown as () => void)();
    expect(limiter.inUse).toBe(0);
  });

  it('serves waiters first come, first served', async () => {
    const limiter = new CallLimiter(1);
    const c = controls();
    const first = await limiter.acquire(c);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) =>
      limiter.acquire(c).then((release) => {
        order.push(n);
        release?.();
      }),
    );
    first?.();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.inUse).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = new CallLimiter(1);
    const release = await limiter.acquire(controls());
    release?.();
    release?.();
    expect(limiter.inUse).toBe(0);
    await limiter.acquire(controls());
    expect(limiter.inUse).toBe(1);
  });

  it('drops the waiters of a batch that must stop, and heartbeats a waiting batch once per tick', async () => {
    jest.useFakeTimers();
    try {
      const limiter = new CallLimiter(1, 100);
      const holder = await limiter.acquire(controls());
      let stop = false;
      const revoked = controls(() => stop);
      const other = controls();
      const results: string[] = [];
      void limiter.acquire(revoked).then((r) => results.push(`revoked ${r === null ? 'null' : 'slot'}`));
      void limiter.acquire(revoked).then((r) => results.push(`revoked ${r === null ? 'null' : 'slot'}`));
      void limiter.acquire(other).then((r) => results.push(`other ${r === null ? 'null' : 'slot'}`));
      await jest.advanceTimersByTimeAsync(250);
      expect(revoked.beats).toBe(2);
      expect(other.beats).toBe(2);
      stop = true;
      await jest.advanceTimersByTimeAsync(100);
      expect(results).toEqual(['revoked null', 'revoked null']);
      expect(limiter.queued).toBe(1);
      holder?.();
      await jest.advanceTimersByTimeAsync(0);
      expect(results).toEqual(['revoked null', 'revoked null', 'other slot']);
      // The timer is not cleared per release (lanes queue and leave at every call); it stops at its next tick.
      expect(jest.getTimerCount()).toBe(1);
      await jest.advanceTimersByTimeAsync(100);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects a slot count below one', () => {
    expect(() => new CallLimiter(0)).toThrow(RangeError);
  });

  it('keeps first come, first served with thousands of waiters', async () => {
    const limiter = new CallLimiter(1);
    const c = controls();
    let release = await limiter.acquire(c);
    const order: number[] = [];
    const waiting = Array.from({ length: 3000 }, (_, i) =>
      limiter.acquire(c).then((r) => {
        order.push(i);
        return r;
      }),
    );
    for (const next of waiting) {
      release?.();
      release = await next;
    }
    release?.();
    expect(order).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(limiter.queued).toBe(0);
    expect(limiter.inUse).toBe(0);
  });

  it('drops the waiters of a stopping batch on a tick and keeps the order of the others', async () => {
    jest.useFakeTimers();
    try {
      const limiter = new CallLimiter(1, 100);
      let stopA = false;
      const a = controls(() => stopA);
      const b = controls();
      const held = await limiter.acquire(b);
      const got: string[] = [];
      const track = (name: string, c: WaitControls) =>
        limiter.acquire(c).then((r) => {
          got.push(`${name}:${r ? 'slot' : 'none'}`);
          return r;
        });
      const waits = [track('a1', a), track('b1', b), track('a2', a), track('b2', b)];
      stopA = true;
      jest.advanceTimersByTime(100);
      await Promise.resolve();
      await Promise.resolve();
      expect(got).toEqual(['a1:none', 'a2:none']);
      expect(limiter.queued).toBe(2);
      expect(b.beats).toBe(1); // heartbeated once for both of its waiters
      expect(a.beats).toBe(0);
      held?.();
      (await waits[1])?.();
      (await waits[3])?.();
      expect(got).toEqual(['a1:none', 'a2:none', 'b1:slot', 'b2:slot']);
      expect(limiter.inUse).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
