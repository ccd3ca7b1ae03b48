import { record } from './batch-runner.fixtures';
import { ChunkSettlement, type ClaimLedger } from './chunk-settlement';
import type { PartitionCommitter } from './partition-committer';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';

function message(offset: number): ReliableMessage {
  return {
    id: `id-${offset}`,
    topic: 't',
    partition: 0,
    offset: String(offset),
    key: null,
    value: null,
    headers: {},
    timestamp: '0',
  };
}

function fakeCommitter() {
  const tracked: Promise<void>[] = [];
  const completed: string[] = [];
  const committer = {
    complete: jest.fn((records: { offset: string }[]) => completed.push(...records.map((r) => r.offset))),
    requestCommit: jest.fn(),
    track: jest.fn((work: Promise<void>) => void tracked.push(work)),
  };
  return { committer: committer as unknown as PartitionCommitter, completed, tracked, raw: committer };
}

function manualLedger() {
  const marks: Array<{ ids: readonly string[]; settle(error?: Error): void }> = [];
  const released: string[][] = [];
  const ledger: ClaimLedger = {
    markDone: (ids) =>
      new Promise<void>((resolve, reject) =>
        marks.push({ ids, settle: (error) => (error ? reject(error) : resolve()) }),
      ),
    release: async (ids) => void released.push([...ids]),
  };
  return { ledger, marks, released };
}

describe('ChunkSettlement', () => {
  const records = [record(0), record(1)];
  const handled = [message(0), message(1)];

  it('with dedup, succeeds at once but completes the records only once their ids are marked done', async () => {
    const { committer, completed, tracked } = fakeCommitter();
    const { ledger, marks } = manualLedger();
    const onCompleted = jest.fn();
    const s = new ChunkSettlement(records, handled, committer, ledger, false, jest.fn(), onCompleted);
    await s.succeed();
    expect(s.outcome).toBe('succeeded');
    expect(marks.map((m) => m.ids)).toEqual([['id-0', 'id-1']]);
    expect(completed).toEqual([]);
    expect(onCompleted).not.toHaveBeenCalled();
    marks[0].settle();
    await tracked[0];
    expect(completed).toEqual(['0', '1']);
    expect(onCompleted).toHaveBeenCalledWith(2, 2);
  });

  it('releases the claims and completes nothing when marking done never lands', async () => {
    const { committer, completed, tracked } = fakeCommitter();
    const { ledger, marks, released } = manualLedger();
    const s = new ChunkSettlement(records, handled, committer, ledger, false, jest.fn());
    await s.succeed();
    marks[0].settle(new Error('store down and the batch stopped'));
    await tracked[0];
    expect(completed).toEqual([]);
    expect(released).toEqual([['id-0', 'id-1']]);
  });

  it('a fail() after success neither releases nor completes anything again', async () => {
    const { committer, completed, raw } = fakeCommitter();
    const s = new ChunkSettlement(records, handled, committer, null, false, jest.fn());
    await s.succeed();
    expect(completed).toEqual(['0', '1']);
    await s.fail(new Error('late'));
    expect(s.outcome).toBe('succeeded');
    expect(raw.complete).toHaveBeenCalledTimes(1);
  });
});
