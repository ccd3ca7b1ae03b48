import { BatchFailedError } from '../../errors/batch-failed.error';
import { BatchNotAcknowledgedError } from '../../errors/batch-not-acknowledged.error';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { NOOP_TELEMETRY } from '../../observability';
import { idsOf, keyOf, record } from './batch-runner.fixtures';
import type { BatchScope } from './batch-scope';
import { ChunkSettlement, type ClaimLedger } from './chunk-settlement';

function message(offset: number): ReliableMessage {
  keyOf(`id-${offset}`);
  return {
    id: `id-${offset}`,
    idBytes: Buffer.from(`id-${offset}`),
    topic: 't',
    partition: 0,
    offset: String(offset),
    key: null,
    value: null,
    headers: {},
    timestamp: '0',
  };
}

/** A scope whose committer records completions and tracked work, and whose telemetry counts. */
function fakeScope() {
  const tracked: Promise<void>[] = [];
  const completed: string[] = [];
  const counts = { processed: 0, deduplicated: 0 };
  const scope = {
    ref: { groupId: 'g', topic: 't', partition: 0 },
    committer: {
      complete: (records: { offset: string }[]) => completed.push(...records.map((r) => r.offset)),
      track: (work: Promise<void>) => void tracked.push(work),
    },
    telemetry: {
      ...NOOP_TELEMETRY,
      messagesProcessed: (_: unknown, n: number) => void (counts.processed += n),
      messagesDeduplicated: (_: unknown, n: number) => void (counts.deduplicated += n),
    },
  } as unknown as BatchScope;
  return { scope, completed, tracked, counts };
}

function manualLedger() {
  const marks: Array<{ ids: readonly string[]; settle(error?: Error): void }> = [];
  const released: string[][] = [];
  const ledger: ClaimLedger = {
    markDone: (ids) =>
      new Promise<void>((resolve, reject) =>
        marks.push({ ids: idsOf(ids), settle: (error) => (error ? reject(error) : resolve()) }),
      ),
    release: async (ids) => void released.push(idsOf(ids)),
  };
  return { ledger, marks, released };
}

describe('ChunkSettlement', () => {
  const records = [record(0), record(1), record(2)];
  const handled = [message(0), message(1), message(2)];

  it('with dedup, hands the chunk over at once but completes it only once its ids are marked done', async () => {
    const { scope, completed, tracked, counts } = fakeScope();
    const { ledger, marks } = manualLedger();
    const result = new ChunkSettlement(scope, ledger, jest.fn()).succeeded(records, handled);
    expect(result).toEqual({ handled: 3, marking: expect.any(Promise) });
    expect(marks.map((m) => m.ids)).toEqual([['id-0', 'id-1', 'id-2']]);
    expect(completed).toEqual([]);
    marks[0].settle();
    expect(await result.marking).toBe(true);
    await tracked[0];
    expect(completed).toEqual(['0', '1', '2']);
    expect(counts).toEqual({ processed: 3, deduplicated: 0 });
  });

  it('releases the claims and completes nothing when marking done never lands', async () => {
    const { scope, completed, tracked } = fakeScope();
    const { ledger, marks, released } = manualLedger();
    const result = new ChunkSettlement(scope, ledger, jest.fn()).succeeded(records, handled);
    marks[0].settle(new Error('store down and the batch stopped'));
    expect(await result.marking).toBe(false);
    await tracked[0];
    expect(completed).toEqual([]);
    expect(released).toEqual([['id-0', 'id-1', 'id-2']]);
  });

  it('completes duplicates at once and counts them as deduplicated', () => {
    const { scope, completed, counts } = fakeScope();
    expect(new ChunkSettlement(scope, null, jest.fn()).duplicates(records)).toEqual({ handled: 3 });
    expect(completed).toEqual(['0', '1', '2']);
    expect(counts).toEqual({ processed: 0, deduplicated: 3 });
  });

  it('on a BatchFailedError, completes the prefix before the named message and releases the rest', async () => {
    const { scope, completed } = fakeScope();
    const { ledger, marks, released } = manualLedger();
    const error = new BatchFailedError(handled[1], new Error('bad'));
    const settling = new ChunkSettlement(scope, ledger, jest.fn()).failed(records, handled, error);
    await Promise.resolve();
    marks[0].settle();
    expect(await settling).toEqual({ handled: 1, error, failedOffset: '1' });
    expect(completed).toEqual(['0']);
    expect(released).toEqual([['id-1', 'id-2']]);
  });

  it('finds the named message behind a BatchNotAcknowledgedError (an exception filter swallowed it)', async () => {
    const { scope, completed } = fakeScope();
    const named = new BatchFailedError(2, new Error('bad'));
    const error = new BatchNotAcknowledgedError('g', 't', 0, '0', named);
    const result = await new ChunkSettlement(scope, null, jest.fn()).failed(records, handled, error);
    expect(result).toMatchObject({ handled: 2, failedOffset: '2' });
    expect(completed).toEqual(['0', '1']);
  });

  it('completes nothing for an error that names no message, and releases every claim', async () => {
    const { scope, completed } = fakeScope();
    const { ledger, released } = manualLedger();
    const result = await new ChunkSettlement(scope, ledger, jest.fn()).failed(
      records,
      handled,
      new Error('x'),
    );
    expect(result.handled).toBe(0);
    expect(completed).toEqual([]);
    expect(released).toEqual([['id-0', 'id-1', 'id-2']]);
  });

  it('reports (never throws) a prefix whose marks cannot land, and completes nothing', async () => {
    const { scope, completed } = fakeScope();
    const { ledger, marks } = manualLedger();
    const onCleanupError = jest.fn();
    const error = new BatchFailedError(2, new Error('bad'));
    const settling = new ChunkSettlement(scope, ledger, onCleanupError).failed(records, handled, error);
    await Promise.resolve();
    marks[0].settle(new Error('down'));
    expect((await settling).handled).toBe(0);
    expect(completed).toEqual([]);
    expect(onCleanupError).toHaveBeenCalledWith('prefix', expect.any(Error));
  });
});
