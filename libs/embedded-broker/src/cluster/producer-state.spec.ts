import { ProducerStateTable } from './producer-state';
import { BatchHeader } from '../protocol/record-batch';
import { ErrorCode } from '../protocol/error-codes';

const h = (producerId: number, epoch: number, baseSequence: number, count = 1): BatchHeader => ({
  baseOffset: 0,
  magic: 2,
  attributes: 0,
  lastOffsetDelta: count - 1,
  baseTimestamp: 0,
  maxTimestamp: 0,
  producerId,
  producerEpoch: epoch,
  baseSequence,
  recordCount: count,
});

describe('ProducerStateTable', () => {
  it('accepts in-order sequences, recognises retried duplicates and rejects gaps', () => {
    const t = new ProducerStateTable();
    expect(t.check(h(1, 0, 0, 3)).kind).toBe('append');
    t.record(h(1, 0, 0, 3), 100);
    expect(t.check(h(1, 0, 0, 3))).toEqual({ kind: 'duplicate', baseOffset: 100 });
    expect(t.check(h(1, 0, 3, 2)).kind).toBe('append');
    expect(t.check(h(1, 0, 5))).toEqual({ kind: 'error', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
  });

  it('fences older epochs and lets a new epoch start at sequence 0', () => {
    const t = new ProducerStateTable();
    t.record(h(1, 1, 0), 0);
    expect(t.check(h(1, 0, 1))).toEqual({ kind: 'error', code: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(t.check(h(1, 2, 0)).kind).toBe('append');
    expect(t.check(h(1, 2, 4)).kind).toBe('error');
  });

  it('ignores non-idempotent batches', () => {
    expect(new ProducerStateTable().check(h(-1, -1, -1)).kind).toBe('append');
  });
});
