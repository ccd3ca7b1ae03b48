import { Logger } from '@nestjs/common';
import type { EachBatchPayload } from 'kafkajs';
import { BatchFailedError } from '../../errors/batch-failed.error';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { BatchRunner } from './batch-runner';
import {
  fakePayload,
  handlerOptions,
  invokeThroughCommitInterceptor,
  keyed,
  later,
  record,
  testMapping,
  type FixtureHandler,
} from './batch-runner.fixtures';

beforeAll(() => Logger.overrideLogger(false));

const keyOf = (m: ReliableMessage) => String(m.key);

function runner(handler: FixtureHandler, options: Partial<ResolvedHandlerOptions>) {
  return new BatchRunner(
    { name: 'T.h', options: handlerOptions(options, null), invoke: invokeThroughCommitInterceptor(handler) },
    { store: null, mapping: testMapping, logger: new Logger('test') },
  );
}

/** Counts handler calls in flight and the most seen at once. */
function gauge() {
  const g = { now: 0, max: 0 };
  const wrap = async (work: () => Promise<void>) => {
    g.max = Math.max(g.max, ++g.now);
    try {
      await work();
    } finally {
      g.now--;
    }
  };
  return { g, wrap };
}

describe('BatchRunner ordering modes', () => {
  it('key: one key per call, in order per key across a retry, while other keys go on', async () => {
    const events: string[] = [];
    const batch = [keyed(0, 'a'), keyed(1, 'b'), keyed(2, 'a'), keyed(3, 'b'), keyed(4, 'b')];
    const { payload, commits } = fakePayload(batch, events);
    let failedOnce = false;
    await runner(
      async (ms) => {
        const keys = new Set(ms.map(keyOf));
        events.push(`call ${[...keys].join('+')} ${ms.map((m) => m.offset).join(',')}`);
        await later();
        if (ms[0].offset === '0' && !failedOnce) {
          failedOnce = true;
          throw new Error('a is down');
        }
      },
      {
        ordering: 'key',
        concurrency: 2,
        maxBatchSize: 2,
        // a backoff of 20-40 ms: far longer than b's two 2 ms calls
        retry: { maxAttempts: 3, initialDelayMs: 40, maxDelayMs: 40, nonRetryable: [] },
      },
    ).eachBatch(payload);
    const calls = events.filter((e) => e.startsWith('call'));
    expect(calls.filter((c) => c.startsWith('call a'))).toEqual(['call a 0,2', 'call a 0,2']);
    expect(calls.filter((c) => c.startsWith('call b'))).toEqual(['call b 1,3', 'call b 4']);
    expect(calls.every((c) => !c.includes('+'))).toBe(true);
    // b finished both its calls while a backed off: a failing key does not hold up the others.
    expect(calls.indexOf('call b 4')).toBeLessThan(calls.lastIndexOf('call a 0,2'));
    // b's completions (1, 3, 4) alone cannot be committed past a's unfinished offset 0: one commit, at the end.
    expect(commits).toEqual(['5']);
  });

  it('never runs more calls than `concurrency`, across the partitions of a handler', async () => {
    const { g, wrap } = gauge();
    const r = runner(() => wrap(later), { ordering: 'unordered', concurrency: 3, maxBatchSize: 2 });
    const parts = [0, 1].map(() =>
      fakePayload(
        [0, 1, 2, 3, 4, 5, 6, 7, 8].map((o) => record(o)),
        [],
      ),
    );
    await Promise.all(parts.map((p) => r.eachBatch(p.payload)));
    expect(g.max).toBe(3);
    for (const p of parts) expect(p.commits[p.commits.length - 1]).toBe('9');
  });

  it('unordered: commits only the contiguous completed prefix while later chunks finish first', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload(
      [0, 1, 2, 3, 4, 5].map((o) => record(o)),
      events,
    );
    let releaseFirst = () => undefined as void;
    const firstBlocked = new Promise<void>((resolve) => (releaseFirst = resolve));
    await runner(
      async (ms) => {
        if (ms[0].offset === '0') await firstBlocked;
        events.push(`done ${ms.map((m) => m.offset).join(',')}`);
        if (ms[0].offset === '4') setTimeout(releaseFirst, 5);
      },
      { ordering: 'unordered', concurrency: 3, maxBatchSize: 2 },
    ).eachBatch(payload);
    expect(events.indexOf('done 0,1')).toBeGreaterThan(events.indexOf('done 4,5'));
    const firstCommit = events.findIndex((e) => e.startsWith('commit'));
    expect(firstCommit).toBeGreaterThan(events.indexOf('done 0,1'));
    expect(commits).toEqual(['6']);
  });

  it('partition: a partial failure commits the prefix and retries in order, one call at a time', async () => {
    const { g, wrap } = gauge();
    const seen: string[] = [];
    let calls = 0;
    const { payload, commits } = fakePayload(
      [0, 1, 2, 3].map((o) => keyed(o, `k${o}`)),
      [],
    );
    await runner(
      (ms) =>
        wrap(async () => {
          seen.push(ms.map((m) => m.offset).join(','));
          if (calls++ === 0) throw new BatchFailedError(1, new Error('bad 1'));
        }),
      { concurrency: 4, maxBatchSize: 4 },
    ).eachBatch(payload);
    expect(seen).toEqual(['0,1,2,3', '1,2,3']);
    expect(g.max).toBe(1);
    expect(commits[commits.length - 1]).toBe('4');
  });

  it('starts no new call once the partition is revoked, and commits nothing after that', async () => {
    const started: string[] = [];
    const { payload, commits } = fakePayload(
      [keyed(0, 'a'), keyed(1, 'b'), keyed(2, 'a'), keyed(3, 'b')],
      [],
    );
    let stale = false;
    (payload as { isStale: () => boolean }).isStale = () => stale;
    await runner(
      async (ms) => {
        started.push(ms[0].offset);
        await later();
        stale = true; // the partition moved while these calls ran
      },
      { ordering: 'key', concurrency: 2, maxBatchSize: 1 },
    ).eachBatch(payload as EachBatchPayload);
    expect(started.sort()).toEqual(['0', '1']);
    expect(commits).toEqual([]);
  });

  it('hands a lane error back only after the other lanes stopped and the completed prefix is committed', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload([keyed(0, 'a'), keyed(1, 'b'), keyed(2, 'b')], events);
    const error = new Error('b never works');
    await expect(
      runner(
        async (ms) => {
          events.push(`call ${ms[0].offset}`);
          await later();
          if (keyOf(ms[0]) === 'b') throw error;
        },
        {
          ordering: 'key',
          concurrency: 2,
          maxBatchSize: 1,
          retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1, nonRetryable: [] },
        },
      ).eachBatch(payload),
    ).rejects.toBe(error);
    expect(events).not.toContain('call 2');
    expect(commits).toEqual(['1']);
  });
});
