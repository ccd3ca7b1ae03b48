import { Logger } from '@nestjs/common';
import { MemoryDedupStore } from '../../dedup/memory-dedup.store';
import { BatchFailedError } from '../../errors/batch-failed.error';
import { DeserializationError } from '../../errors/deserialization.error';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import type { DeadLetterFacts } from '../../retry/dead-letter-headers.util';
import type { DeadLetterSink } from '../../retry/dead-letter-publisher';
import { BatchRunner } from './batch-runner';
import {
  fakePayload,
  handlerOptions,
  invokeThroughCommitInterceptor,
  record,
  testMapping,
  keyOf,
} from './batch-runner.fixtures';
import { DedupStoreUnavailableError } from '../../dedup/dedup-store-unavailable.error';

type Handler = (messages: ReliableMessage[]) => Promise<unknown>;

beforeAll(() => Logger.overrideLogger(false));

/** A sink that fails its first `failures` publishes, then records what it got. */
function fakeSink(events: string[], failures = 0) {
  const letters: { topic: string; facts: DeadLetterFacts }[] = [];
  const sink: DeadLetterSink = {
    publish: async (topic, facts) => {
      if (failures-- > 0) {
        events.push(`dlt failed ${facts.record.offset}`);
        throw new Error('NOT_ENOUGH_REPLICAS');
      }
      events.push(`dlt ${facts.record.offset}`);
      letters.push({ topic, facts });
    },
  };
  return { sink, letters };
}

class Invalid extends Error {}

function runner(
  handler: Handler,
  sink: DeadLetterSink,
  options: Partial<ResolvedHandlerOptions> = {},
  store: MemoryDedupStore | null = null,
) {
  const invoke = invokeThroughCommitInterceptor(handler);
  const resolved = handlerOptions(
    {
      retry: {
        maxAttempts: 3,
        initialDelayMs: 1,
        maxDelayMs: 2,
        nonRetryable: [DeserializationError, Invalid],
      },
      deadLetterTopic: undefined,
      ...options,
    },
    store,
  );
  return new BatchRunner(
    { name: 'T.h', options: resolved, invoke },
    { store, mapping: testMapping, logger: new Logger('t'), isClosed: () => false, sink },
  );
}

const offsets = (ms: ReliableMessage[]) => ms.map((m) => m.offset).join(',');

describe('BatchRunner dead-lettering', () => {
  it('commits before a named poison message, retries only it, dead-letters it, then goes on', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload(
      [0, 1, 2, 3, 4, 5].map((o) => record(o)),
      events,
    );
    const { sink, letters } = fakeSink(events);
    await runner(async (ms) => {
      events.push(`handled ${offsets(ms)}`);
      const poison = ms.findIndex((m) => m.offset === '3');
      if (poison >= 0) throw new BatchFailedError(ms[poison], new Error('bad 3'));
    }, sink).eachBatch(payload);
    expect(events).toEqual([
      'handled 0,1,2,3,4,5',
      'commit 3',
      'handled 3,4,5',
      'handled 3,4,5',
      'dlt 3',
      'commit 4',
      'handled 4,5',
      'commit 6',
    ]);
    expect(commits).toEqual(['3', '4', '6']);
    expect(letters).toHaveLength(1);
    expect(letters[0].topic).toBe('t.dlt');
    expect(letters[0].facts).toMatchObject({ topic: 't', partition: 0, groupId: 'g', attempts: 3 });
    expect(letters[0].facts.record.offset).toBe('3');
  });

  it('dead-letters a non-retryable error after one attempt, to the configured topic', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload([record(0), record(1)], events);
    const { sink, letters } = fakeSink(events);
    let calls = 0;
    await runner(
      async (ms) => {
        calls++;
        if (ms[0].offset === '0') throw new BatchFailedError(0, new Invalid('schema'));
      },
      sink,
      { deadLetterTopic: 'all.dlt' },
    ).eachBatch(payload);
    expect(calls).toBe(2);
    expect(letters.map((l) => [l.topic, l.facts.attempts])).toEqual([['all.dlt', 1]]);
    expect(commits).toEqual(['1', '2']);
  });

  it('dead-letters a record that cannot be deserialized without calling the handler for it', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload([record(0), record(1, '{oops'), record(2)], events);
    const { sink, letters } = fakeSink(events);
    await runner(async (ms) => void events.push(`handled ${offsets(ms)}`), sink).eachBatch(payload);
    expect(events).toEqual(['handled 0', 'commit 1', 'dlt 1', 'commit 2', 'handled 2', 'commit 3']);
    expect(letters[0].facts.error).toBeInstanceOf(DeserializationError);
    expect(commits).toEqual(['1', '2', '3']);
  });

  it('finds the failing message one at a time when the handler does not name it', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload(
      [0, 1, 2, 3].map((o) => record(o)),
      events,
    );
    const { sink, letters } = fakeSink(events);
    await runner(
      async (ms) => {
        events.push(`handled ${offsets(ms)}`);
        if (ms.some((m) => m.offset === '2')) throw new Error('somewhere in the batch');
      },
      sink,
      { retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1, nonRetryable: [] } },
    ).eachBatch(payload);
    expect(events).toEqual([
      'handled 0,1,2,3',
      'handled 0,1,2,3',
      'handled 0',
      'commit 1',
      'handled 1',
      'commit 2',
      'handled 2',
      'handled 2',
      'dlt 2',
      'commit 3',
      'handled 3',
      'commit 4',
    ]);
    expect(letters.map((l) => l.facts.record.offset)).toEqual(['2']);
    expect(commits).toEqual(['1', '2', '3', '4']);
  });

  it('commits nothing past a message whose dead letter is not acknowledged, retrying until it is', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload([record(0), record(1)], events);
    const { sink, letters } = fakeSink(events, 3);
    await runner(async (ms) => {
      if (ms[0].offset === '0') throw new BatchFailedError(0, new Invalid('x'));
    }, sink).eachBatch(payload);
    expect(events).toEqual(['dlt failed 0', 'dlt failed 0', 'dlt failed 0', 'dlt 0', 'commit 1', 'commit 2']);
    expect(letters).toHaveLength(1);
    expect(commits).toEqual(['1', '2']);
  });

  it('stops without committing when the consumer stops while the dead-letter topic is unavailable', async () => {
    const events: string[] = [];
    const { payload, commits } = fakePayload([record(0), record(1)], events);
    let running = true;
    (payload as { isRunning: () => boolean }).isRunning = () => running;
    const sink: DeadLetterSink = {
      publish: async () => {
        running = false;
        throw new Error('unavailable');
      },
    };
    await runner(async () => {
      throw new BatchFailedError(0, new Invalid('x'));
    }, sink).eachBatch(payload);
    expect(commits).toEqual([]);
  });

  it('marks a dead-lettered message done in the dedup store, so a redelivery skips it', async () => {
    const store = new MemoryDedupStore({ claimTtlMs: 60_000, retentionMs: 60_000 });
    const events: string[] = [];
    const { payload } = fakePayload([record(0)], events);
    const { sink } = fakeSink(events);
    await runner(
      async () => {
        throw new Invalid('x');
      },
      sink,
      {},
      store,
    ).eachBatch(payload);
    expect(await store.claim('g', ['t/0/0'].map(keyOf))).toEqual(['done']);
  });

  it('fails (then dead-letters) a record whose claim the store refuses, and goes on; never freezes the partition', async () => {
    const events: string[] = [];
    const { sink, letters } = fakeSink(events);
    const store = new MemoryDedupStore({ claimTtlMs: 60_000, retentionMs: 60_000 });
    const claim = store.claim.bind(store);
    store.claim = async (group, keys) => {
      if (keys.includes(keyOf('bad'))) {
        const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
          code: '22021',
        });
        throw new DedupStoreUnavailableError('postgres', 'claim', cause);
      }
      return claim(group, keys);
    };
    const handled: string[] = [];
    const { payload, commits } = fakePayload(
      [record(0, '0', 'ok-1'), record(1, '1', 'bad'), record(2, '2', 'ok-2')],
      events,
    );
    await runner(
      async (ms) => void handled.push(...ms.map((m) => m.id)),
      sink,
      { maxBatchSize: 1 },
      store,
    ).eachBatch(payload);
    expect(handled).toEqual(['ok-1', 'ok-2']);
    expect(letters.map((l) => l.facts.record.offset)).toEqual(['1']);
    expect(String(letters[0].facts.error)).toMatch(/refused.*0x00/);
    expect(commits[commits.length - 1]).toBe('3');
  });

  it('keeps attempt counts across redeliveries within the process', async () => {
    const events: string[] = [];
    const { sink, letters } = fakeSink(events);
    let running = true;
    const r = runner(async () => {
      running = false; // the consumer stops during the first attempt: the batch is given back
      throw new BatchFailedError(0, new Error('flaky'));
    }, sink);
    const first = fakePayload([record(7)], events);
    (first.payload as { isRunning: () => boolean }).isRunning = () => running;
    await r.eachBatch(first.payload);
    expect(letters).toHaveLength(0);
    const again = fakePayload([record(7)], events);
    await r.eachBatch(again.payload);
    // Attempt 1 was in the first delivery, so the redelivery needs only two more before dead-lettering.
    expect(letters.map((l) => l.facts.attempts)).toEqual([3]);
    expect(again.commits).toEqual(['8']);
  });
});
