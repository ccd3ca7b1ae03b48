import { ErrorCode } from '../protocol/error-codes';
import { fakeEntry, fakeHeader, fakeMarker } from './log-entry.fixtures';
import { ProducerStateTable } from './producer-state';

const OUT_OF_ORDER = { kind: 'error', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };

/** Kafka's ProducerAppendInfo / ProducerStateEntry rules, on one replica's table. */
describe('ProducerStateTable', () => {
  const pid = 7;
  const batch = (epoch: number, sequence: number, count = 1, transactional = false) =>
    fakeHeader({ producerId: pid, epoch, sequence, count, transactional });
  const stored = (offset: number, epoch: number, sequence: number, count = 1, transactional = false) =>
    fakeEntry(offset, { producerId: pid, epoch, sequence, count, transactional, timestamp: 1000 });

  it('accepts in-order sequences, answers a retried duplicate with its offsets, refuses gaps', () => {
    const t = new ProducerStateTable();
    expect(t.check(batch(0, 0, 3)).kind).toBe('append');
    t.apply(stored(100, 0, 0, 3));
    expect(t.check(batch(0, 0, 3))).toEqual({ kind: 'duplicate', baseOffset: 100, lastOffset: 102 });
    expect(t.check(batch(0, 3, 2)).kind).toBe('append');
    expect(t.check(batch(0, 5))).toEqual(OUT_OF_ORDER);
  });

  it('remembers the last five batches only: an older retry is out of order', () => {
    const t = new ProducerStateTable();
    for (let i = 0; i < 6; i++) t.apply(stored(i, 0, i));
    expect(t.check(batch(0, 1))).toEqual({ kind: 'duplicate', baseOffset: 1, lastOffset: 1 });
    expect(t.check(batch(0, 0))).toEqual(OUT_OF_ORDER);
  });

  it('accepts any sequence and epoch from a producer it does not know (state never seen or expired)', () => {
    const t = new ProducerStateTable();
    expect(t.check(batch(3, 7)).kind).toBe('append');
    t.apply(stored(0, 0, 0));
    t.expire(1000 + 60_000, 60_000);
    expect(t.epochOf(pid)).toBeUndefined();
    expect(t.check(batch(0, 7)).kind).toBe('append');
  });

  it('fences older epochs and makes a new epoch start at sequence 0', () => {
    const t = new ProducerStateTable();
    t.apply(stored(0, 1, 0));
    expect(t.check(batch(0, 1))).toEqual({ kind: 'error', code: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(t.check(batch(2, 0)).kind).toBe('append');
    expect(t.check(batch(2, 4))).toEqual(OUT_OF_ORDER);
  });

  it('refuses a non-transactional write while the producer has a transaction open', () => {
    const t = new ProducerStateTable();
    t.apply(stored(0, 0, 0, 1, true));
    expect(t.hasOngoingTransaction(pid)).toBe(true);
    expect(t.check(batch(0, 1))).toEqual({ kind: 'error', code: ErrorCode.INVALID_TXN_STATE });
    expect(t.check(batch(0, 1, 1, true)).kind).toBe('append');
  });

  it('a marker of the same epoch keeps the sequence; a higher epoch fences the old one', () => {
    const t = new ProducerStateTable();
    t.apply(stored(0, 0, 0, 2, true));
    t.apply(fakeMarker(2, pid, 0, true));
    expect(t.hasOngoingTransaction(pid)).toBe(false);
    expect(t.check(batch(0, 2)).kind).toBe('append');
    t.apply(fakeMarker(3, pid, 1, false));
    expect(t.epochOf(pid)).toBe(1);
    expect(t.check(batch(0, 2))).toEqual({ kind: 'error', code: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(t.check(batch(1, 1))).toEqual(OUT_OF_ORDER);
    expect(t.check(batch(1, 0)).kind).toBe('append');
  });

  it('accepts the sequence wrapping from int32 max to 0', () => {
    const t = new ProducerStateTable();
    t.apply(stored(0, 0, 0x7fffffff));
    expect(t.check(batch(0, 0)).kind).toBe('append');
  });

  it('keeps a producer with an open transaction past its expiry, and ignores non-idempotent batches', () => {
    const t = new ProducerStateTable();
    t.apply(stored(0, 0, 0, 1, true));
    t.expire(10_000_000, 1);
    expect(t.epochOf(pid)).toBe(0);
    expect(t.check(fakeHeader()).kind).toBe('append');
  });
});
