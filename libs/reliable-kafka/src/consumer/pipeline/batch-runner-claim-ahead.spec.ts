import { Logger } from '@nestjs/common';
import type { EachBatchPayload } from 'kafkajs';
import { MemoryDedupStore } from '../../dedup/memory-dedup.store';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
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

beforeAll(() => Logger.overrideLogger(false));

const retry = { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 2, nonRetryable: [] };

/** A memory store that counts claim calls (and what they asked for). */
function countingStore() {
  const store = new MemoryDedupStore({ claimTtlMs: 60_000, retentionMs: 60_000 });
  const claims: string[][] = [];
  const releases: string[][] = [];
  const claim = store.claim.bind(store);
  const release = store.release.bind(store);
  store.claim = async (group, ids) => {
    claims.push(idsOf(ids));
    return claim(group, ids);
  };
  store.release = async (group, ids) => {
    releases.push(idsOf(ids));
    return release(group, ids);
  };
  return { store, claims, releases };
}

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `id${from + i}`);
const lane = (n: number) => ids(0, n).map((id, i) => record(i, String(i), id));

function runner(
  store: MemoryDedupStore,
  handler: (ms: ReliableMessage[]) => Promise<void>,
  overrides: Partial<ResolvedHandlerOptions> = {},
) {
  const invoke = invokeThroughCommitInterceptor(handler);
  const options = handlerOptions({ maxBatchSize: 2, retry, ...overrides }, store);
  return new BatchRunner(
    { name: 'T.h', options, invoke },
    { store, mapping: testMapping, logger: new Logger('test') },
  );
}

/** Ids of `all` a third party can claim right now (i.e. nobody holds them). */
async function claimable(store: MemoryDedupStore, all: string[]): Promise<string[]> {
  const statuses = await store.claim('g', all.map(keyOf));
  return all.filter((_, i) => statuses[i] === 'claimed');
}

describe('BatchRunner with dedup: claiming a lane ahead', () => {
  it('deserializes each value once: claiming ahead reads only the ids', async () => {
    const { store, claims } = countingStore();
    let deserialized = 0;
    const mapping = {
      ...testMapping,
      deserializer: (value: Buffer | null) => {
        deserialized++;
        return testMapping.deserializer(value, {} as never);
      },
    };
    const invoke = invokeThroughCommitInterceptor(async () => undefined);
    const options = handlerOptions({ maxBatchSize: 2, retry }, store);
    const batch = new BatchRunner(
      { name: 'T.h', options, invoke },
      { store, mapping, logger: new Logger('test') },
    );
    const { payload } = fakePayload(lane(10), []);
    await batch.eachBatch(payload);
    expect(claims).toHaveLength(1);
    expect(deserialized).toBe(10);
  });

  it('claims the ids of a five-chunk lane in one round trip and runs every chunk', async () => {
    const { store, claims } = countingStore();
    const handled: string[][] = [];
    const { payload, commits } = fakePayload(lane(10), []);
    await runner(store, async (ms) => void handled.push(ms.map((m) => m.id))).eachBatch(payload);
    expect(claims).toEqual([ids(0, 10)]);
    expect(handled).toEqual([ids(0, 2), ids(2, 4), ids(4, 6), ids(6, 8), ids(8, 10)]);
    expect(commits[commits.length - 1]).toBe('10');
    expect(await store.claim('g', ids(0, 10).map(keyOf))).toEqual(Array(10).fill('done'));
  });

  it('claims a long lane a window (up to 1000 ids) at a time, the next one while the last chunk of the previous runs', async () => {
    const { store, claims } = countingStore();
    const handled: string[] = [];
    const { payload, commits } = fakePayload(lane(2500), []);
    const options = { maxBatchSize: 500 };
    await runner(store, async (ms) => void handled.push(...ms.map((m) => m.id)), options).eachBatch(payload);
    expect(claims).toEqual([ids(0, 1000), ids(1000, 2000), ids(2000, 2500)]);
    expect(handled).toEqual(ids(0, 2500));
    expect(commits[commits.length - 1]).toBe('2500');
  });

  it('releases a window claimed ahead in the background when the batch stops before using it', async () => {
    const { store } = countingStore();
    let running = true;
    const handled: string[] = [];
    const { payload } = fakePayload(lane(2500), []);
    (payload as { isRunning: EachBatchPayload['isRunning'] }).isRunning = () => running;
    const stopAfterTwoChunks = async (ms: ReliableMessage[]) => {
      handled.push(...ms.map((m) => m.id));
      if (handled.length === 1000) running = false;
    };
    await runner(store, stopAfterTwoChunks, { maxBatchSize: 500 }).eachBatch(payload);
    expect(handled).toEqual(ids(0, 1000));
    expect(await claimable(store, ids(1000, 2500))).toEqual(ids(1000, 2500));
  });

  it('completes ids the store knows as done without a handler call', async () => {
    const { store } = countingStore();
    await store.markDone('g', ['id2', 'id3', 'id4'].map(keyOf));
    const handled: string[] = [];
    const { payload, commits } = fakePayload(lane(6), []);
    await runner(store, async (ms) => void handled.push(...ms.map((m) => m.id))).eachBatch(payload);
    expect(handled).toEqual(['id0', 'id1', 'id5']);
    expect(commits[commits.length - 1]).toBe('6');
  });

  it('releases the claimed-ahead ids no chunk handled when the batch stops', async () => {
    const { store } = countingStore();
    let running = true;
    const handled: string[] = [];
    const { payload } = fakePayload(lane(10), []);
    (payload as { isRunning: EachBatchPayload['isRunning'] }).isRunning = () => running;
    await runner(store, async (ms) => {
      handled.push(...ms.map((m) => m.id));
      if (handled.length === 4) running = false; // e.g. shutdown after the second chunk
    }).eachBatch(payload);
    expect(handled).toEqual(ids(0, 4));
    expect(await claimable(store, ids(4, 10))).toEqual(ids(4, 10));
  });

  it('releases the failed chunk and everything after it when the lane hands an error back', async () => {
    const { store } = countingStore();
    const { payload } = fakePayload(lane(10), []);
    const failing = runner(store, async (ms) => {
      if (ms[0].id === 'id4') throw new Error('boom');
    });
    await expect(failing.eachBatch(payload)).rejects.toThrow('boom');
    expect(await claimable(store, ids(0, 10))).toEqual(ids(4, 10));
  });

  it('waits on a busy id, running only the chunks before it, and never skips it', async () => {
    const { store, claims, releases } = countingStore();
    await store.claim('g', [keyOf('id5')]); // another consumer holds id5 (the third chunk)
    claims.length = 0;
    const handled: string[] = [];
    let third: (() => void) | null = null;
    const waiting = new Promise<void>((resolve) => (third = resolve));
    const { payload, commits } = fakePayload(lane(10), []);
    const batch = runner(store, async (ms) => {
      handled.push(...ms.map((m) => m.id));
      if (handled.length === 4) third?.();
    }).eachBatch(payload);
    await waiting;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(handled).toEqual(ids(0, 4));
    // Our claims from the busy chunk on were given back right after the window claim, the busy id never held.
    expect(releases[0]).toEqual(['id4', 'id6', 'id7', 'id8', 'id9']);
    expect(releases.flat()).not.toContain('id5');
    await store.release('g', [keyOf('id5')]); // the other consumer gives id5 up
    await batch;
    expect(handled).toEqual(ids(0, 10));
    expect(commits[commits.length - 1]).toBe('10');
    expect(claims[0]).toEqual(ids(0, 10));
  });
  it('never starts a chunk on a claim with less time left than its call may take (the claim covers its call)', async () => {
    // TTL 400 ms; calls bounded at 350 ms. Lane A claims [a, x] ahead at 0 ms; a's call takes 150 ms, so x's chunk
    // starts with 250 ms of its claim left, and x's call takes 300 ms. Lane B (another partition, same group)
    // meets x at 410 ms, after A's window claim of x expired: it must find x claimed (and later done), not free.
    const store = new MemoryDedupStore({ claimTtlMs: 400, retentionMs: 60_000 });
    const effects: string[] = [];
    const handler = (callMs: Record<string, number>) => async (ms: ReliableMessage[]) => {
      await new Promise((resolve) => setTimeout(resolve, callMs[ms[0].id] ?? 0));
      effects.push(...ms.map((m) => m.id));
    };
    const options = { maxBatchSize: 1, callTimeoutMs: 350 };
    const a = runner(store, handler({ a: 150, x: 300 }), options).eachBatch(
      fakePayload([record(0, '0', 'a'), record(1, '1', 'x')], []).payload,
    );
    await new Promise((resolve) => setTimeout(resolve, 410));
    const b = runner(store, handler({ x: 50 }), options).eachBatch(
      fakePayload([record(0, '0', 'x')], []).payload,
    );
    await Promise.all([a, b]);
    expect(effects.filter((id) => id === 'x')).toEqual(['x']);
  });

  it('a store that stops answering (marks hang): the lane starts at most one more call, then waits for it', async () => {
    const { store } = countingStore();
    const markDone = store.markDone.bind(store);
    let answer: () => void = () => undefined;
    const answering = new Promise<void>((resolve) => (answer = resolve));
    let hanging = false;
    store.markDone = async (group, keys) => {
      if (hanging) await answering;
      return markDone(group, keys);
    };
    const calls: string[][] = [];
    const { payload, commits } = fakePayload(lane(10), []);
    const batch = runner(store, async (ms) => {
      calls.push(ms.map((m) => m.id));
      hanging = true; // the store stops answering once the first call ran
    }).eachBatch(payload);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // chunk 0 ran (its mark hangs), chunk 1 may start beside that one mark, chunk 2 must wait for it
    expect(calls).toEqual([ids(0, 2), ids(2, 4)]);
    expect(commits).toEqual([]);
    answer();
    await batch;
    expect(calls.flat()).toEqual(ids(0, 10));
    expect(commits[commits.length - 1]).toBe('10');
  });

  it('once a store operation failed, no chunk starts on the claims made ahead until the store answers again', async () => {
    const { store, claims } = countingStore();
    const markDone = store.markDone.bind(store);
    let failMarks = 0;
    store.markDone = async (group, keys) => {
      if (failMarks > 0 && failMarks--) throw new Error('ECONNREFUSED');
      return markDone(group, keys);
    };
    const calls: string[][] = [];
    const { payload, commits } = fakePayload(lane(10), []);
    await runner(store, async (ms) => {
      calls.push(ms.map((m) => m.id));
      if (calls.length === 1) failMarks = 1; // the first chunk's mark fails once, then the store is back
    }).eachBatch(payload);
    expect(calls.flat().sort()).toEqual(ids(0, 10).sort()); // nothing skipped, nothing run twice
    // the window claimed ahead went back when the failure was seen: later chunks claimed for themselves
    expect(claims.length).toBeGreaterThan(1);
    expect(commits[commits.length - 1]).toBe('10');
  });
});
