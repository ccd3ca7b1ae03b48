import { Logger } from '@nestjs/common';
import type { EachBatchPayload } from 'kafkajs';
import { MemoryDedupStore } from '../../dedup/memory-dedup.store';
import { BatchRunner } from './batch-runner';
import {
  fakePayload,
  handlerOptions,
  invokeThroughCommitInterceptor,
  record,
  testMapping,
  idsOf,
  keyOf,
} from './batch-runner.fixtures';

const logger = new Logger('test');
beforeAll(() => Logger.overrideLogger(false));

const ttls = { claimTtlMs: 60_000, retentionMs: 60_000 };
const retry = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2, nonRetryable: [] };

function runner(store: MemoryDedupStore, handled: string[]) {
  const invoke = invokeThroughCommitInterceptor(async (ms) => void handled.push(...ms.map((m) => m.id)));
  return new BatchRunner(
    { name: 'T.h', options: handlerOptions({ maxBatchSize: 1, retry }, store), invoke },
    { store, mapping: testMapping, logger },
  );
}

describe('BatchRunner with dedup: marking done off the critical path', () => {
  it('starts the next call before the previous ids are marked done, but commits them only after', async () => {
    const store = new MemoryDedupStore(ttls);
    const events: string[] = [];
    let landA: () => void = () => undefined;
    const markDone = store.markDone.bind(store);
    store.markDone = async (group, ids) => {
      if (idsOf(ids).includes('a')) await new Promise<void>((resolve) => (landA = resolve));
      await markDone(group, ids);
      events.push(`done ${idsOf(ids).join(',')}`);
    };
    const handled: string[] = [];
    const { payload, commits } = fakePayload([record(0, '1', 'a'), record(1, '2', 'b')], events);
    const batch = runner(store, handled).eachBatch(payload);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handled).toEqual(['a', 'b']); // b ran while a's mark was still in flight
    expect(commits).toEqual([]); // b is done, but a is not marked done yet: nothing may be committed
    landA();
    await batch;
    expect(events.indexOf('done a')).toBeLessThan(events.indexOf(`commit ${commits[commits.length - 1]}`));
    expect(commits[commits.length - 1]).toBe('2');
  });

  it('when marking done never lands before the batch stops, releases the claims and commits nothing past them', async () => {
    const store = new MemoryDedupStore(ttls);
    const markDone = store.markDone.bind(store);
    let running = true;
    let failures = 0;
    store.markDone = async (group, ids) => {
      if (idsOf(ids).includes('a')) {
        if (++failures === 3) running = false; // e.g. shutdown while the store is unreachable
        throw new Error('ECONNREFUSED');
      }
      await markDone(group, ids);
    };
    const handled: string[] = [];
    const { payload, commits } = fakePayload([record(0, '1', 'a'), record(1, '2', 'b')], []);
    (payload as { isRunning: EachBatchPayload['isRunning'] }).isRunning = () => running;
    await runner(store, handled).eachBatch(payload);
    expect(handled[0]).toBe('a');
    expect(commits).toEqual([]);
    // Released, not left claimed: the redelivery can claim it at once.
    expect(await store.claim('g', ['a'].map(keyOf))).toEqual(['claimed']);
  });
});
