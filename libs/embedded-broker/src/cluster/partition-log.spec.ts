import { PartitionLog, LogEntry } from './partition-log';

const entry = (base: number, count: number, ts = 0): LogEntry => ({
  baseOffset: base,
  lastOffset: base + count - 1,
  maxTimestamp: ts,
  producerId: -1,
  transactional: false,
  control: false,
  bytes: Buffer.alloc(10 * count),
  appendedAt: ts,
});

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
});
