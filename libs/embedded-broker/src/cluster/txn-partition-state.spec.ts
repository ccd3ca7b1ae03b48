import { ErrorCode } from '../protocol/error-codes';
import { BatchHeader } from '../protocol/record-batch';
import { ProducerStateTable } from './producer-state';
import { TxnIndex } from './txn-index';

const h = (producerId: number, epoch: number, baseSequence: number, count = 1): BatchHeader => ({
  baseOffset: 0,
  magic: 2,
  attributes: 0x10,
  lastOffsetDelta: count - 1,
  baseTimestamp: 0,
  maxTimestamp: 0,
  producerId,
  producerEpoch: epoch,
  baseSequence,
  recordCount: count,
});

/** The per-partition state transactions rely on: markers fencing epochs, and the aborted-transaction index. */
describe('partition transaction state', () => {
  it('a marker with the same epoch keeps the sequence; a higher epoch fences the old one', () => {
    const t = new ProducerStateTable();
    t.record(h(7, 0, 0, 2), 0);
    t.fence(7, 0);
    expect(t.check(h(7, 0, 2)).kind).toBe('append');
    t.fence(7, 1);
    expect(t.epochOf(7)).toBe(1);
    expect(t.check(h(7, 0, 2))).toEqual({ kind: 'error', code: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(t.check(h(7, 1, 1))).toEqual({ kind: 'error', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(t.check(h(7, 1, 0)).kind).toBe('append');
  });

  it('accepts the sequence wrapping from int32 max to 0', () => {
    const t = new ProducerStateTable();
    t.record(h(7, 0, 0x7fffffff), 0);
    expect(t.check(h(7, 0, 0)).kind).toBe('append');
  });

  it('tracks the first open offset and lists aborted ranges by first offset', () => {
    const idx = new TxnIndex();
    idx.onTransactionalAppend(1, 10);
    idx.onTransactionalAppend(2, 5);
    idx.onTransactionalAppend(1, 12);
    expect(idx.firstOpenOffset()).toBe(5);
    idx.complete(1, 20, false);
    expect(idx.firstOpenOffset()).toBe(5);
    idx.complete(2, 21, false);
    expect(idx.firstOpenOffset()).toBeUndefined();
    expect(idx.abortedBetween(0, 100)).toEqual([
      { producerId: 2, firstOffset: 5, lastOffset: 21 },
      { producerId: 1, firstOffset: 10, lastOffset: 20 },
    ]);
    expect(idx.abortedBetween(21, 100)).toEqual([{ producerId: 2, firstOffset: 5, lastOffset: 21 }]);
    expect(idx.abortedBetween(22, 100)).toEqual([]);
    expect(idx.abortedBetween(0, 5)).toEqual([]);
  });
});
