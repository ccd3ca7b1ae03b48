import { compareOffsets, OffsetTracker } from './offset-tracker';

describe('OffsetTracker', () => {
  it('has nothing to commit before any completion', () => {
    const t = new OffsetTracker();
    t.begin('5');
    t.begin('6');
    expect(t.committable()).toBeNull();
  });

  it('commits the lowest contiguous completed offset + 1', () => {
    const t = new OffsetTracker();
    ['10', '11', '12'].forEach((o) => t.begin(o));
    t.complete('10');
    expect(t.committable()).toBe('11');
    t.complete('11');
    expect(t.committable()).toBe('12');
  });

  it('never commits past an unfinished offset when later ones complete first', () => {
    const t = new OffsetTracker();
    ['0', '1', '2', '3'].forEach((o) => t.begin(o));
    t.complete('2');
    t.complete('3');
    expect(t.committable()).toBeNull();
    t.complete('0');
    expect(t.committable()).toBe('1');
    t.complete('1');
    expect(t.committable()).toBe('4');
  });

  it('treats gaps in the log as contiguous (compaction, transaction markers)', () => {
    const t = new OffsetTracker();
    ['3', '7', '9'].forEach((o) => t.begin(o));
    t.complete('3');
    t.complete('7');
    expect(t.committable()).toBe('8');
  });

  it('keeps the mark when new offsets begin after it', () => {
    const t = new OffsetTracker();
    t.begin('0');
    t.complete('0');
    t.begin('1');
    expect(t.committable()).toBe('1');
  });

  it('handles offsets beyond Number.MAX_SAFE_INTEGER', () => {
    const t = new OffsetTracker();
    t.begin('9007199254740993');
    t.complete('9007199254740993');
    expect(t.committable()).toBe('9007199254740994');
  });

  it('rejects out-of-order begins and completions of unknown offsets', () => {
    const t = new OffsetTracker();
    t.begin('5');
    expect(() => t.begin('5')).toThrow(RangeError);
    expect(() => t.begin('4')).toThrow(RangeError);
    expect(() => t.complete('6')).toThrow(RangeError);
    t.complete('5');
    expect(() => t.begin('5')).toThrow(RangeError);
    expect(() => t.begin('6')).not.toThrow();
  });

  it('commits only the contiguous prefix when a whole batch is begun up front and completes out of order', () => {
    const t = new OffsetTracker();
    const batch = ['10', '11', '13', '14', '17', '18'];
    batch.forEach((o) => t.begin(o));
    const seen: (string | null)[] = [];
    for (const o of ['13', '17', '11', '10', '18', '14']) {
      t.complete(o);
      seen.push(t.committable());
    }
    expect(seen).toEqual([null, null, null, '14', '14', '19']);
  });

  it('lets an offset be completed twice without moving anything', () => {
    const t = new OffsetTracker();
    ['0', '1', '2'].forEach((o) => t.begin(o));
    t.complete('1');
    t.complete('1');
    expect(t.committable()).toBeNull();
    t.complete('0');
    expect(t.committable()).toBe('2');
  });

  it('knows which offsets were begun', () => {
    const t = new OffsetTracker();
    t.begin('4');
    expect(t.has('4')).toBe(true);
    expect(t.has('5')).toBe(false);
  });

  it('finds offsets completed in any order among thousands, across a change of digit count', () => {
    const t = new OffsetTracker();
    const offsets = Array.from({ length: 2000 }, (_, i) => String(9_000 + i * 3)); // 9000 .. 14997: 4 and 5 digits
    offsets.forEach((o) => t.begin(o));
    const shuffled = [...offsets].reverse();
    for (const o of shuffled.slice(0, -1)) t.complete(o);
    expect(t.committable()).toBeNull();
    expect(t.has('9001')).toBe(false);
    expect(() => t.complete('10000')).toThrow(RangeError);
    t.complete('9000');
    expect(t.committable()).toBe('14998');
  });
});

describe('compareOffsets', () => {
  it('orders canonical decimal offsets numerically', () => {
    expect(compareOffsets('9', '10')).toBeLessThan(0);
    expect(compareOffsets('100', '99')).toBeGreaterThan(0);
    expect(compareOffsets('123', '124')).toBeLessThan(0);
    expect(compareOffsets('9007199254740993', '9007199254740993')).toBe(0);
  });
});
