import { fakeEntry, fakeHeader, fakeMarker } from './log-entry.fixtures';
import { PartitionLog } from './partition-log';

const entry = (base: number, count: number, ts = 0) => fakeEntry(base, { count, timestamp: ts });
/** Batch `sequence` of producer 9 at epoch 0, stored at offset `base`. */
const idem = (base: number, sequence: number, transactional = false) =>
  fakeEntry(base, { producerId: 9, epoch: 0, sequence, transactional, timestamp: 1 });
const next = (sequence: number) => fakeHeader({ producerId: 9, epoch: 0, sequence });

describe('PartitionLog', () => {
  it('reads whole batches from an offset inside a batch, up to the limit and roughly maxBytes', () => {
    const log = new PartitionLog();
    [entry(0, 5), entry(5, 5), entry(10, 5)].forEach((e) => log.append(e));
    expect(log.logEndOffset).toBe(15);
    expect(log.read(7, 15, 1e6)).toHaveLength(2);
    expect(log.read(7, 10, 1e6)).toHaveLength(1);
    expect(log.read(0, 15, 60)).toHaveLength(1);
    expect(log.read(15, 15, 1e6)).toHaveLength(0);
  });

  it('truncates from a batch boundary and appends again at the new end', () => {
    const log = new PartitionLog();
    [entry(0, 5), entry(5, 5)].forEach((e) => log.append(e));
    log.truncateTo(5);
    expect(log.logEndOffset).toBe(5);
    log.append(entry(5, 2));
    expect(log.logEndOffset).toBe(7);
    expect(log.sizeBytes).toBe(70);
  });

  it('trims whole batches from the head and moves the log start', () => {
    const log = new PartitionLog();
    [entry(0, 5, 1), entry(5, 5, 2), entry(10, 5, 3)].forEach((e) => log.append(e));
    log.trimHead((e) => e.maxTimestamp < 3, 15);
    expect(log.logStartOffset).toBe(10);
    expect(log.read(0, 15, 1e6)).toHaveLength(1);
  });

  it('replicates a leader by sharing its entries', () => {
    const leader = new PartitionLog();
    [entry(0, 5), entry(5, 5)].forEach((e) => leader.append(e));
    const follower = new PartitionLog();
    follower.replicateFrom(leader, leader.logEndOffset);
    expect(follower.logEndOffset).toBe(10);
    expect(follower.entriesFrom(0)[1]).toBe(leader.entriesFrom(5)[0]);
  });

  it('finds the first offset at or after a timestamp', () => {
    const log = new PartitionLog();
    [entry(0, 5, 100), entry(5, 5, 200)].forEach((e) => log.append(e));
    expect(log.offsetForTimestamp(150, 10)).toEqual({ offset: 5, timestamp: 200 });
    expect(log.offsetForTimestamp(300, 10)).toBeNull();
  });

  it('derives its producer state from its own entries: a follower learns it by replicating', () => {
    const leader = new PartitionLog();
    [idem(0, 0), idem(1, 1)].forEach((e) => leader.append(e));
    const follower = new PartitionLog();
    follower.replicateFrom(leader, 1);
    expect(follower.producers.check(next(1)).kind).toBe('append');
    expect(leader.producers.check(next(1))).toMatchObject({ kind: 'duplicate', baseOffset: 1 });
  });

  it('rebuilds producer state and open transactions from what is left after a truncation', () => {
    const log = new PartitionLog();
    [idem(0, 0, true), fakeMarker(1, 9, 0, true), idem(2, 1, true)].forEach((e) => log.append(e));
    expect(log.txns.firstUnstableOffset(3)).toBe(2);
    log.truncateTo(2);
    expect(log.producers.check(next(1)).kind).toBe('append');
    expect(log.producers.hasOngoingTransaction(9)).toBe(false);
    expect(log.txns.firstUnstableOffset(2)).toBeUndefined();
    log.truncateTo(1);
    expect(log.producers.hasOngoingTransaction(9)).toBe(true);
  });

  it('keeps the producer state of batches retention removed, but not after resetting to a leader', () => {
    const log = new PartitionLog();
    [idem(0, 0), idem(1, 1), entry(2, 1, 5)].forEach((e) => log.append(e));
    log.trimHead((e) => e.baseOffset < 2, 3);
    expect(log.logStartOffset).toBe(2);
    expect(log.producers.check(next(0))).toMatchObject({ kind: 'duplicate', baseOffset: 0 });
    log.truncateTo(2);
    expect(log.producers.check(next(2)).kind).toBe('append');
    log.resetTo(10);
    expect(log.producers.epochOf(9)).toBeUndefined();
  });
});
