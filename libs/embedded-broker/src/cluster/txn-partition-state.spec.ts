import { TxnIndex } from './txn-index';

/** The transaction index of one replica: the LSO and the aborted ranges read_committed fetches get. */
describe('TxnIndex', () => {
  it('tracks the first open offset and lists aborted ranges by first offset', () => {
    const idx = new TxnIndex();
    idx.onTransactionalAppend(1, 10);
    idx.onTransactionalAppend(2, 5);
    idx.onTransactionalAppend(1, 12);
    expect(idx.firstUnstableOffset(100)).toBe(5);
    idx.complete(1, 20, false);
    expect(idx.firstUnstableOffset(100)).toBe(5);
    idx.complete(2, 21, false);
    expect(idx.firstUnstableOffset(100)).toBeUndefined();
    expect(idx.abortedBetween(0, 100)).toEqual([
      { producerId: 2, firstOffset: 5, lastOffset: 21 },
      { producerId: 1, firstOffset: 10, lastOffset: 20 },
    ]);
    expect(idx.abortedBetween(21, 100)).toEqual([{ producerId: 2, firstOffset: 5, lastOffset: 21 }]);
    expect(idx.abortedBetween(22, 100)).toEqual([]);
    expect(idx.abortedBetween(0, 5)).toEqual([]);
  });

  it('holds the LSO at a completed transaction until its marker is below the high watermark', () => {
    const idx = new TxnIndex();
    idx.onTransactionalAppend(1, 3);
    idx.complete(1, 6, true);
    expect(idx.firstUnstableOffset(6)).toBe(3);
    expect(idx.firstUnstableOffset(7)).toBeUndefined();
  });

  it('forgets aborted ranges that retention removed', () => {
    const idx = new TxnIndex();
    idx.onTransactionalAppend(1, 0);
    idx.complete(1, 4, false);
    idx.dropBefore(5);
    expect(idx.abortedBetween(0, 10)).toEqual([]);
  });
});
