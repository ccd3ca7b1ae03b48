import { BufferLimiter } from './buffer-limiter';

describe('BufferLimiter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const events = () => {
    const log: string[] = [];
    return {
      log,
      admit: (n: string) => () => log.push(`admit ${n}`),
      refuse: (n: string) => () => log.push(`refuse ${n}`),
    };
  };

  it('admits at once while there is room, and counts the bytes in use', () => {
    const limiter = new BufferLimiter({ maxBytes: 100, maxBytesPerTopic: 100, maxBlockMs: 50 });
    const { log, admit, refuse } = events();
    limiter.acquire('t', 60, admit('a'), refuse('a'));
    limiter.acquire('t', 40, admit('b'), refuse('b'));
    expect(log).toEqual(['admit a', 'admit b']);
    expect(limiter.bytesInUse).toBe(100);
  });

  it('makes later sends wait behind an earlier one, first in first out, even when they would fit', () => {
    const limiter = new BufferLimiter({ maxBytes: 100, maxBytesPerTopic: 100, maxBlockMs: 1_000 });
    const { log, admit, refuse } = events();
    limiter.acquire('t', 90, admit('a'), refuse('a'));
    limiter.acquire('t', 50, admit('big'), refuse('big'));
    limiter.acquire('t', 5, admit('small'), refuse('small')); // would fit, but must not overtake
    expect(log).toEqual(['admit a']);
    limiter.release('t', 90);
    expect(log).toEqual(['admit a', 'admit big', 'admit small']);
  });

  it('refuses a waiting send after maxBlockMs and lets the ones behind it in', () => {
    const limiter = new BufferLimiter({ maxBytes: 100, maxBytesPerTopic: 100, maxBlockMs: 50 });
    const { log, admit, refuse } = events();
    limiter.acquire('t', 60, admit('a'), refuse('a'));
    limiter.acquire('t', 60, admit('b'), refuse('b'));
    jest.advanceTimersByTime(49);
    expect(log).toEqual(['admit a']);
    jest.advanceTimersByTime(1);
    expect(log).toEqual(['admit a', 'refuse b']);
  });

  it('bounds each topic as well as the total', () => {
    const limiter = new BufferLimiter({ maxBytes: 100, maxBytesPerTopic: 50, maxBlockMs: 10 });
    const { log, admit, refuse } = events();
    limiter.acquire('a', 50, admit('a1'), refuse('a1'));
    limiter.acquire('a', 1, admit('a2'), refuse('a2'));
    jest.advanceTimersByTime(10);
    limiter.acquire('b', 50, admit('b1'), refuse('b1'));
    expect(log).toEqual(['admit a1', 'refuse a2', 'admit b1']);
    expect(limiter.fits(51)).toBe(false);
  });
});
