import { SendCoalescer } from './send-coalescer';

describe('SendCoalescer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(lingerMs: number) {
    const batches: number[][] = [];
    const releases: Array<() => void> = [];
    const coalescer = new SendCoalescer<number>(lingerMs, (batch) => {
      batches.push(batch);
      return new Promise<void>((resolve) => releases.push(resolve));
    });
    return { coalescer, batches, releases };
  }

  it('combines items added within the linger window into one batch', async () => {
    const { coalescer, batches } = setup(2);
    coalescer.add(1);
    coalescer.add(2);
    await jest.advanceTimersByTimeAsync(1);
    coalescer.add(3);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('keeps one batch in flight; items arriving meanwhile form the next batch, started when it settles', async () => {
    const { coalescer, batches, releases } = setup(2);
    coalescer.add(1);
    await jest.advanceTimersByTimeAsync(2);
    coalescer.add(2);
    coalescer.add(3);
    await jest.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([[1]]);
    releases[0]();
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('with linger 0 sends the first item at once', () => {
    const { coalescer, batches } = setup(0);
    coalescer.add(1);
    coalescer.add(2);
    expect(batches).toEqual([[1]]);
  });

  it('drain sends what is queued without lingering and waits for every batch', async () => {
    const { coalescer, batches, releases } = setup(1_000);
    coalescer.add(1);
    let drained = false;
    const drain = coalescer.drain().then(() => (drained = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1]]);
    coalescer.add(2);
    releases[0]();
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1], [2]]);
    expect(drained).toBe(false);
    releases[1]();
    await drain;
    expect(coalescer.waiting).toBe(0);
  });

  describe('with lanes', () => {
    function laned(maxInFlight: number) {
      const batches: string[][] = [];
      const releases: Array<() => void> = [];
      const coalescer = new SendCoalescer<string>(
        0,
        (batch) => {
          batches.push(batch);
          return new Promise<void>((resolve) => releases.push(resolve));
        },
        (item) => item[0], // lane = first letter
        maxInFlight,
      );
      return { coalescer, batches, releases };
    }

    it('runs batches of different lanes at once, up to maxInFlight', async () => {
      const { coalescer, batches } = laned(2);
      coalescer.add('a1');
      coalescer.add('b1');
      coalescer.add('c1');
      await jest.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([['a1'], ['b1']]);
      expect(coalescer.inFlight).toBe(2);
      expect(coalescer.waiting).toBe(1);
    });

    it('never has two batches of one lane in flight and keeps each lane in add order', async () => {
      const { coalescer, batches, releases } = laned(5);
      coalescer.add('a1');
      coalescer.add('a2'); // a is busy: waits
      coalescer.add('b1');
      coalescer.add('a3');
      coalescer.add('b2');
      await jest.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([['a1'], ['b1']]);
      releases[1](); // b1 settles first: b2 goes, a2 and a3 still wait for a1
      await jest.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([['a1'], ['b1'], ['b2']]);
      releases[0]();
      await jest.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([['a1'], ['b1'], ['b2'], ['a2', 'a3']]);
    });

    it('drain waits for every lane', async () => {
      const { coalescer, batches, releases } = laned(5);
      coalescer.add('a1');
      coalescer.add('a2');
      coalescer.add('b1');
      let drained = false;
      const drain = coalescer.drain().then(() => (drained = true));
      await jest.advanceTimersByTimeAsync(0);
      releases[0]();
      releases[1]();
      await jest.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([['a1'], ['b1'], ['a2']]);
      expect(drained).toBe(false);
      releases[2]();
      await drain;
      expect(coalescer.inFlight).toBe(0);
    });
  });
});
