import { Logger } from '@nestjs/common';
import { MemoryDedupStore } from '../../dedup/memory-dedup.store';
import type { DedupStore } from '../../dedup/dedup-store.interface';
import { BatchFailedError } from '../../errors/batch-failed.error';
import { BatchNotAcknowledgedError } from '../../errors/batch-not-acknowledged.error';
import { DeserializationError } from '../../errors/deserialization.error';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import { BatchRunner } from './batch-runner';
import {
  fakePayload,
  handlerOptions,
  invokeThroughCommitInterceptor,
  record,
  testMapping,
  type FixtureHandler,
  idsOf,
  keyOf,
} from './batch-runner.fixtures';

type Handler = FixtureHandler;

const logger = new Logger('test');
beforeAll(() => Logger.overrideLogger(false));

function runner(
  handler: Handler,
  options: Partial<ResolvedHandlerOptions> = {},
  store: DedupStore | null = null,
) {
  const invoke = invokeThroughCommitInterceptor(handler);
  return new BatchRunner(
    { name: 'T.h', options: handlerOptions(options, store), invoke },
    { store, mapping: testMapping, logger },
  );
}

describe('BatchRunner', () => {
  it('commits each chunk only after its handler resolved, up to the chunk end', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload(
      [0, 1, 2, 3, 4].map((o) => record(o)),
      events,
      { recordResolves: true },
    );
    await runner(async (ms) => void events.push(`handled ${ms.map((m) => m.offset).join(',')}`), {
      maxBatchSize: 2,
    }).eachBatch(payload);
    expect(commits).toEqual(['2', '4', '5']);
    expect(events).toEqual([
      'handled 0,1',
      'commit 2',
      'resolve 1',
      'handled 2,3',
      'commit 4',
      'resolve 3',
      'handled 4',
      'commit 5',
      'resolve 4',
    ]);
  });

  it('commits nothing when the handler keeps failing, and hands the error back after maxAttempts', async () => {
    const { payload, commits } = fakePayload([record(0), record(1)], []);
    const handler = jest.fn().mockRejectedValue(new Error('db down'));
    await expect(runner(handler).eachBatch(payload)).rejects.toThrow('db down');
    expect(handler).toHaveBeenCalledTimes(3);
    expect(commits).toEqual([]);
  });

  it('commits the prefix before a BatchFailedError index and retries only the rest', async () => {
    const { payload, commits } = fakePayload(
      [10, 11, 12, 13].map((o) => record(o)),
      [],
    );
    const seen: string[][] = [];
    let calls = 0;
    await runner(async (ms) => {
      seen.push(ms.map((m) => m.offset));
      if (calls++ === 0) throw new BatchFailedError(2, new Error('bad 12'));
    }).eachBatch(payload);
    expect(seen).toEqual([
      ['10', '11', '12', '13'],
      ['12', '13'],
    ]);
    expect(commits).toEqual(['12', '14']);
  });

  it('treats a success the commit step never saw (swallowed by a filter) as a failure', async () => {
    const { payload, commits } = fakePayload([record(0)], []);
    const swallowing = new BatchRunner(
      { name: 'T.h', options: handlerOptions({}, null), invoke: async () => 'filtered' },
      { store: null, mapping: testMapping, logger },
    );
    await expect(swallowing.eachBatch(payload)).rejects.toBeInstanceOf(BatchNotAcknowledgedError);
    expect(commits).toEqual([]);
  });

  it('handles the records before an undecodable one, then fails on it without committing it', async () => {
    const { payload, commits } = fakePayload([record(0), record(1), record(2, '{oops'), record(3)], []);
    const seen: string[][] = [];
    await expect(
      runner(async (ms) => void seen.push(ms.map((m) => m.offset))).eachBatch(payload),
    ).rejects.toBeInstanceOf(DeserializationError);
    expect(seen).toEqual([['0', '1']]);
    expect(commits).toEqual(['2']);
  });

  it('hands a failed commit (e.g. a rebalance) straight back to kafkajs without running the handler again', async () => {
    const { payload, commits } = fakePayload([record(0), record(1)], []);
    const rebalance = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    (payload as { commitOffsetsIfNecessary: () => Promise<void> }).commitOffsetsIfNecessary = async () => {
      throw rebalance;
    };
    const handler = jest.fn().mockResolvedValue(undefined);
    await expect(runner(handler).eachBatch(payload)).rejects.toBe(rebalance);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(commits).toEqual([]);
  });

  describe('with a dedup store', () => {
    const ttls = { claimTtlMs: 60_000, retentionMs: 60_000 };

    it('skips ids already done, marks done before committing, and commits past duplicates', async () => {
      const store = new MemoryDedupStore(ttls);
      await store.claim('g', ['a'].map(keyOf));
      await store.markDone('g', ['a'].map(keyOf));
      const events: string[] = [];
      const markDone = store.markDone.bind(store);
      store.markDone = async (group, ids) => (
        events.push(`done ${idsOf(ids).join(',')}`),
        markDone(group, ids)
      );
      const { payload, commits } = fakePayload(
        [record(0, '1', 'a'), record(1, '2', 'b'), record(2, '3', 'b')],
        events,
        { recordResolves: true },
      );
      await runner(
        async (ms) => void events.push(`handled ${ms.map((m) => m.id).join(',')}`),
        {},
        store,
      ).eachBatch(payload);
      expect(events).toEqual(['handled b', 'done b', 'commit 3', 'resolve 2']);
      expect(commits).toEqual(['3']);
    });

    it('releases claims when the handler fails, so the retry can claim them again', async () => {
      const store = new MemoryDedupStore(ttls);
      const { payload, commits } = fakePayload([record(0, '1', 'x')], []);
      let calls = 0;
      await runner(
        async () => {
          if (calls++ < 2) throw new Error('transient');
        },
        {},
        store,
      ).eachBatch(payload);
      expect(calls).toBe(3);
      expect(commits).toEqual(['1']);
      expect(await store.claim('g', ['x'].map(keyOf))).toEqual(['done']);
    });

    it('waits while the store is unreachable, never skipping or committing, without using up attempts', async () => {
      const store = new MemoryDedupStore(ttls);
      const claim = store.claim.bind(store);
      let failures = 5;
      const events: string[] = [];
      store.claim = async (group, ids) => {
        if (failures-- > 0) {
          events.push('claim failed');
          throw new Error('ECONNREFUSED');
        }
        return claim(group, ids);
      };
      const { payload, commits } = fakePayload([record(0, '1', 'y')], events, { recordResolves: true });
      await runner(
        async () => void events.push('handled'),
        { retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 2, nonRetryable: [] } },
        store,
      ).eachBatch(payload);
      expect(events).toEqual([...Array(5).fill('claim failed'), 'handled', 'commit 1', 'resolve 0']);
      expect(commits).toEqual(['1']);
    });

    it('does not skip ids another consumer holds: it waits until they are free', async () => {
      const store = new MemoryDedupStore(ttls);
      await store.claim('g', ['busy-id'].map(keyOf));
      setTimeout(() => void store.release('g', ['busy-id'].map(keyOf)), 30);
      const handled: string[] = [];
      const { payload, commits } = fakePayload([record(0, '1', 'busy-id')], []);
      await runner(async (ms) => void handled.push(...ms.map((m) => m.id)), {}, store).eachBatch(payload);
      expect(handled).toEqual(['busy-id']);
      expect(commits).toEqual(['1']);
    });
  });
});
