import * as CRC32C from 'crc-32/crc32c';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { appendBatch } from './append';
import { Cluster } from './cluster';
import { DEFAULT_BROKER_SETTINGS } from './configs';
import { GroupCoordinator } from './group-coordinator';
import { Partition } from './partition';
import { TransactionCoordinator } from './txn-coordinator';
import { TxnCommittedOffset } from './txn-metadata';

/** A transactional data batch of `count` records (magic 2, no compression). */
function txnBatch(producerId: number, epoch: number, baseSequence: number, count = 1): Buffer {
  const records = new Writer(64);
  for (let i = 0; i < count; i++) {
    const body = new Writer(16)
      .int8(0)
      .varint(0)
      .varint(i)
      .varint(-1)
      .varint(1)
      .raw(Buffer.from('x'))
      .varint(0)
      .toBuffer();
    records.varint(body.length).raw(body);
  }
  const recs = records.toBuffer();
  const batch = new Writer(128)
    .int64(0)
    .int32(49 + recs.length)
    .int32(0)
    .int8(2)
    .uint32(0)
    .int16(0x10)
    .int32(count - 1)
    .int64(0)
    .int64(0)
    .int64(producerId)
    .int16(epoch)
    .int32(baseSequence)
    .int32(count)
    .raw(recs)
    .toBuffer();
  batch.writeUInt32BE(CRC32C.buf(batch.subarray(21)) >>> 0, 17);
  return batch;
}

describe('TransactionCoordinator', () => {
  let cluster: Cluster;
  let committed: Array<{ groupId: string; offsets: readonly TxnCommittedOffset[] }>;
  let txns: TransactionCoordinator;
  let p0: Partition;

  beforeEach(() => {
    cluster = new Cluster({ ...DEFAULT_BROKER_SETTINGS });
    cluster.brokers.set(0, { id: 0, host: '127.0.0.1', port: 0, alive: true });
    const created = cluster.createTopic({ name: 't', numPartitions: 2, replicationFactor: 1 });
    if (!created.ok) throw new Error(created.message);
    p0 = created.topic.partitions[0];
    committed = [];
    const groups = {
      commitOffsets: (groupId: string, offsets: readonly TxnCommittedOffset[]) =>
        committed.push({ groupId, offsets }),
    };
    txns = new TransactionCoordinator(cluster, groups as unknown as GroupCoordinator);
  });

  afterEach(() => {
    txns.stop();
    cluster.stop();
    jest.useRealTimers();
  });

  const init = (id: string | null = 'tx'): { producerId: number; producerEpoch: number } => {
    const { errorCode, producerId, producerEpoch } = txns.initProducerId(id, 60_000);
    expect(errorCode).toBe(ErrorCode.NONE);
    return { producerId, producerEpoch };
  };

  it('gives idempotent producers fresh ids and transactional ids the same id at a bumped epoch', () => {
    const a = init(null);
    const b = init(null);
    expect(a.producerId).not.toBe(b.producerId);
    expect([a.producerEpoch, b.producerEpoch]).toEqual([0, 0]);
    const t0 = init('tx');
    const t1 = init('tx');
    expect(t1).toEqual({ producerId: t0.producerId, producerEpoch: t0.producerEpoch + 1 });
    expect(txns.initProducerId('tx', 0).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect(txns.initProducerId('tx', 900_001).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect(txns.initProducerId('', 1000).errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('commits: writes a COMMIT marker after the data, closes the transaction and moves the LSO', () => {
    const { producerId, producerEpoch } = init();
    expect(txns.addPartitions('tx', producerId, producerEpoch, [{ topic: 't', partition: 0 }])).toBe(
      ErrorCode.NONE,
    );
    appendBatch(p0, txnBatch(producerId, producerEpoch, 0, 3), Date.now());
    expect(p0.lastStableOffset).toBe(0);
    expect(txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.NONE);
    expect(p0.logEndOffset).toBe(4);
    expect(p0.lastStableOffset).toBe(4);
    expect(p0.txns.abortedBetween(0, 4)).toEqual([]);
    expect(txns.describe('tx')?.state).toBe('CompleteCommit');
    // A retried commit succeeds again; an abort of a committed transaction is refused.
    expect(txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.NONE);
    expect(txns.endTxn('tx', producerId, producerEpoch, false)).toBe(ErrorCode.INVALID_TXN_STATE);
    // The producer keeps its sequence across transactions of one epoch.
    txns.addPartitions('tx', producerId, producerEpoch, [{ topic: 't', partition: 0 }]);
    expect(appendBatch(p0, txnBatch(producerId, producerEpoch, 3), Date.now()).errorCode).toBe(
      ErrorCode.NONE,
    );
  });

  it('aborts: the data range up to the ABORT marker is reported to read_committed fetchers', () => {
    const { producerId, producerEpoch } = init();
    txns.addPartitions('tx', producerId, producerEpoch, [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    appendBatch(p0, txnBatch(producerId, producerEpoch, 0, 2), Date.now());
    expect(txns.endTxn('tx', producerId, producerEpoch, false)).toBe(ErrorCode.NONE);
    expect(p0.txns.abortedBetween(0, p0.logEndOffset)).toEqual([
      { producerId, firstOffset: 0, lastOffset: 2 },
    ]);
    // Partition 1 was added but never written: it still gets a marker, and no aborted range.
    const p1 = cluster.partition('t', 1) as Partition;
    expect(p1.logEndOffset).toBe(1);
    expect(p1.txns.abortedBetween(0, 1)).toEqual([]);
    expect(txns.endTxn('tx', producerId, producerEpoch, false)).toBe(ErrorCode.NONE);
    expect(txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('refuses EndTxn without a transaction and requests from unknown or mismatched producer ids', () => {
    const { producerId, producerEpoch } = init();
    expect(txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(txns.endTxn('other', producerId, producerEpoch, true)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(txns.addPartitions('tx', producerId + 1, producerEpoch, [])).toBe(
      ErrorCode.INVALID_PRODUCER_ID_MAPPING,
    );
    expect(txns.addOffsets('tx', producerId, producerEpoch + 1, 'g')).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('fences the old epoch: its open transaction is aborted with the new epoch, on the coordinator and the partitions', () => {
    const old = init();
    txns.addPartitions('tx', old.producerId, old.producerEpoch, [{ topic: 't', partition: 0 }]);
    appendBatch(p0, txnBatch(old.producerId, old.producerEpoch, 0), Date.now());
    const next = init();
    expect(next).toEqual({ producerId: old.producerId, producerEpoch: old.producerEpoch + 1 });
    expect(p0.txns.abortedBetween(0, p0.logEndOffset)).toHaveLength(1);
    expect(p0.lastStableOffset).toBe(p0.logEndOffset);
    expect(appendBatch(p0, txnBatch(old.producerId, old.producerEpoch, 1), Date.now()).errorCode).toBe(
      ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    expect(txns.addPartitions('tx', old.producerId, old.producerEpoch, [{ topic: 't', partition: 0 }])).toBe(
      ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    expect(txns.endTxn('tx', old.producerId, old.producerEpoch, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    // The new epoch starts its own sequence at 0.
    txns.addPartitions('tx', next.producerId, next.producerEpoch, [{ topic: 't', partition: 0 }]);
    expect(appendBatch(p0, txnBatch(next.producerId, next.producerEpoch, 0), Date.now()).errorCode).toBe(
      ErrorCode.NONE,
    );
  });

  it('applies transactional offsets to the group only when the transaction commits', () => {
    const { producerId: pid, producerEpoch: ep } = init();
    const offset = { topic: 't', partition: 0, offset: 7, metadata: null };
    expect(txns.txnOffsetCommit('tx', 'g', pid, ep, [offset])).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(txns.addOffsets('tx', pid, ep, 'g')).toBe(ErrorCode.NONE);
    expect(txns.txnOffsetCommit('tx', 'g', pid, ep, [offset])).toBe(ErrorCode.NONE);
    txns.endTxn('tx', pid, ep, false);
    expect(committed).toEqual([]);
    txns.addOffsets('tx', pid, ep, 'g');
    txns.txnOffsetCommit('tx', 'g', pid, ep, [offset]);
    txns.txnOffsetCommit('tx', 'g', pid, ep, [{ ...offset, offset: 9 }]);
    txns.endTxn('tx', pid, ep, true);
    expect(committed).toEqual([{ groupId: 'g', offsets: [{ ...offset, offset: 9 }] }]);
  });

  it('aborts a transaction that outlives its timeout and fences its producer', () => {
    jest.useFakeTimers();
    const { producerId, producerEpoch } = txns.initProducerId('tx', 1000);
    txns.addPartitions('tx', producerId, producerEpoch, [{ topic: 't', partition: 0 }]);
    appendBatch(p0, txnBatch(producerId, producerEpoch, 0), Date.now());
    jest.advanceTimersByTime(999);
    expect(txns.describe('tx')?.state).toBe('Ongoing');
    jest.advanceTimersByTime(1);
    expect(txns.describe('tx')).toMatchObject({ state: 'CompleteAbort', producerEpoch: producerEpoch + 1 });
    expect(p0.txns.abortedBetween(0, p0.logEndOffset)).toHaveLength(1);
    expect(txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('keeps a transaction completing (CONCURRENT_TRANSACTIONS) until a leaderless partition gets its marker', () => {
    jest.useFakeTimers();
    const { producerId, producerEpoch } = init();
    txns.addPartitions('tx', producerId, producerEpoch, [{ topic: 't', partition: 0 }]);
    appendBatch(p0, txnBatch(producerId, producerEpoch, 0), Date.now());
    cluster.setBrokerAlive(0, false);
    expect(txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.NONE);
    expect(txns.describe('tx')?.state).toBe('PrepareCommit');
    expect(txns.addPartitions('tx', producerId, producerEpoch, [])).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    expect(txns.initProducerId('tx', 1000).errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    expect(txns.endTxn('tx', producerId, producerEpoch, true)).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    cluster.setBrokerAlive(0, true);
    jest.advanceTimersByTime(200);
    expect(txns.describe('tx')?.state).toBe('CompleteCommit');
    expect(p0.logEndOffset).toBe(2);
    expect(p0.lastStableOffset).toBe(2);
  });
});
