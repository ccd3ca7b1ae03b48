import { BatchFailedError } from '../../errors/batch-failed.error';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import type { KafkaContext } from '../kafka-context';
import {
  FakeDedupStore,
  FakeTransactionalStore,
  handlerRuntime,
  messagesOf,
  record,
  recordingLogger,
  recordingScope,
  testMapping,
} from './batch-runner.fixtures';
import { ChunkProcessor } from './chunk-processor';
import { RunningCalls } from './running-calls';
import { ClaimAhead } from './claim-ahead';
import { ClaimUnavailableError } from './claim-unavailable.error';

const boom = new Error('boom');
const chunk = ['a', 'b', 'c'].map((id, i) => record(i, String(i), id));

/**
 * A ChunkProcessor over a handler that notes `handled <ids>` in the store's log, which is also the scope's event
 * log, so claims, calls, marks and completions can be checked in one order. `fail` makes the handler throw it.
 */
function harness(
  store: FakeDedupStore | null,
  setup: { fail?: unknown; options?: Partial<ResolvedHandlerOptions> } = {},
) {
  const events = store?.log ?? [];
  const contexts: KafkaContext[] = [];
  const handler = async (messages: ReliableMessage[], context: KafkaContext) => {
    events.push(`handled ${messages.map((m) => m.id).join(',')}`);
    contexts.push(context);
    if (setup.fail) throw setup.fail;
  };
  const log = recordingLogger();
  const runtime = handlerRuntime(handler, { maxBatchSize: 2, ...setup.options }, store);
  const processor = new ChunkProcessor(runtime, store, log.logger, new RunningCalls());
  const batch = recordingScope(events);
  const process = async (ahead: ClaimAhead | null = null) => {
    const result = await processor.process(chunk, messagesOf(chunk), batch.scope, ahead);
    await Promise.all(batch.tracked); // marks done in the background complete their records when they land
    return result;
  };
  return { processor, process, contexts, log, ...batch };
}

describe('ChunkProcessor', () => {
  it('without dedup, calls the handler with every message and completes the chunk', async () => {
    const h = harness(null);
    expect(await h.process()).toEqual({ handled: 3 });
    expect(h.events).toEqual(['handled a,b,c', 'complete 0,1,2']);
  });

  describe('with dedup', () => {
    it('claims the chunk in one round trip, calls the handler with the claimed messages only, completes after the mark', async () => {
      const store = new FakeDedupStore();
      store.answer = () => ['claimed', 'done', 'claimed'];
      const h = harness(store);
      const result = await h.process();
      expect(result).toEqual({ handled: 3, marking: expect.any(Promise) });
      expect(await result.marking).toBe(true);
      expect(h.events).toEqual(['claim a,b,c', 'handled a,c', 'markDone a,c', 'complete 0,1,2']);
    });

    it('completes a chunk of duplicates without calling the handler', async () => {
      const store = new FakeDedupStore();
      store.answer = (ids) => ids.map(() => 'done');
      const h = harness(store);
      expect(await h.process()).toEqual({ handled: 3 });
      expect(h.events).toEqual(['claim a,b,c', 'complete 0,1,2']);
    });

    it('returns a ClaimUnavailableError (busy) when another consumer holds an id, after releasing our claims', async () => {
      const store = new FakeDedupStore();
      store.answer = () => ['claimed', 'busy', 'done'];
      const h = harness(store);
      const result = await h.process();
      expect(result).toEqual({ handled: 0, error: expect.any(ClaimUnavailableError) });
      expect((result.error as ClaimUnavailableError).reason).toBe('busy');
      expect(h.events).toEqual(['claim a,b,c', 'release a']);
    });

    it('returns a ClaimUnavailableError (unreachable) when the store throws, and calls no handler', async () => {
      const store = new FakeDedupStore();
      store.failures.claim = 1;
      const h = harness(store);
      const { error } = await h.process();
      expect(error).toMatchObject({ reason: 'unreachable', cause: expect.any(Error) });
      expect(h.events).toEqual(['claim a,b,c']);
    });

    it('settles a failed call: the records before the named message complete, the claims of the rest go back', async () => {
      const failure = new BatchFailedError(1, new Error('bad b'));
      const store = new FakeDedupStore();
      const h = harness(store, { fail: failure });
      expect(await h.process()).toEqual({ handled: 1, error: failure, failedOffset: '1' });
      expect(h.events).toEqual(['claim a,b,c', 'handled a,b,c', 'markDone a', 'complete 0', 'release b,c']);
    });

    it('logs (never throws) a release that fails after a failed call', async () => {
      const store = new FakeDedupStore();
      store.failures.release = 1;
      const h = harness(store, { fail: boom });
      expect(await h.process()).toEqual({ handled: 0, error: boom });
      expect(h.log.events()).toEqual(['release-failed']);
    });

    it('takes the statuses from a claim made ahead, and claims for itself when that has none', async () => {
      const store = new FakeDedupStore();
      const h = harness(store);
      const statusesFor = jest
        .fn()
        .mockResolvedValueOnce(['claimed', 'done', 'claimed'])
        .mockResolvedValueOnce(null);
      const ahead = { statusesFor } as unknown as ClaimAhead;
      await h.process(ahead);
      expect(h.events).toEqual(['handled a,c', 'markDone a,c', 'complete 0,1,2']);
      h.events.length = 0;
      await h.process(ahead);
      expect(h.events).toEqual(['claim a,b,c', 'handled a,b,c', 'markDone a,b,c', 'complete 0,1,2']);
      expect(statusesFor).toHaveBeenCalledWith(chunk, messagesOf(chunk));
    });
  });

  describe('with transactional dedup', () => {
    const transactional = { dedup: 'transactional' } as const;

    it("calls the handler with the claimed messages and the transaction's manager, completing every record after the commit", async () => {
      const store = new FakeTransactionalStore();
      store.answer = () => ['claimed', 'done', 'claimed'];
      const h = harness(store, { options: transactional });
      expect(await h.process()).toEqual({ handled: 3 });
      expect(h.events).toEqual(['begin', 'claim a,b,c', 'handled a,c', 'commit', 'complete 0,1,2']);
      expect(h.contexts[0].txManager).toBe(store.manager);
    });

    it.each([
      ['an error', boom],
      ['a BatchFailedError', new BatchFailedError(1, boom)],
    ])(
      'rolls back on %s and completes nothing, not even the records before a named one',
      async (_, failure) => {
        const store = new FakeTransactionalStore();
        const h = harness(store, { fail: failure, options: transactional });
        expect(await h.process()).toEqual({ handled: 0, error: failure });
        expect(h.events).toEqual(['begin', 'claim a,b,c', 'handled a,b,c', 'rollback']);
      },
    );

    it('returns a ClaimUnavailableError (busy) without calling the handler when an id is busy', async () => {
      const store = new FakeTransactionalStore();
      store.answer = () => ['claimed', 'busy', 'claimed'];
      const h = harness(store, { options: transactional });
      const { error } = await h.process();
      expect(error).toMatchObject({ name: 'ClaimUnavailableError', reason: 'busy' });
      expect(h.events).toEqual(['begin', 'claim a,b,c', 'rollback']);
    });

    it('returns a ClaimUnavailableError (unreachable) when the store fails before the call', async () => {
      const store = new FakeTransactionalStore();
      store.unreachable = new Error('connection refused');
      const h = harness(store, { options: transactional });
      const { handled, error } = await h.process();
      expect(handled).toBe(0);
      expect(error).toMatchObject({ reason: 'unreachable', cause: store.unreachable });
      expect(h.completed).toEqual([]);
    });

    it('completes a chunk of duplicates without a call', async () => {
      const store = new FakeTransactionalStore();
      store.answer = (ids) => ids.map(() => 'done');
      const h = harness(store, { options: transactional });
      expect(await h.process()).toEqual({ handled: 3 });
      expect(h.events).toEqual(['begin', 'claim a,b,c', 'commit', 'complete 0,1,2']);
    });
  });

  describe('claimAhead', () => {
    it.each([
      [
        true,
        'plain dedup, a store that tells its claim TTL and a lane longer than maxBatchSize',
        'on',
        60_000,
        3,
      ],
      [false, 'a lane of one chunk', 'on', 60_000, 2],
      [false, 'a store that does not tell its claim TTL', 'on', undefined, 3],
      [false, 'transactional dedup', 'transactional', 60_000, 3],
      [false, 'dedup off', 'off', 60_000, 3],
    ] as const)('returns a ClaimAhead (%s) for %s', (expected, _, dedup, claimTtlMs, length) => {
      const store =
        dedup === 'transactional' ? new FakeTransactionalStore(claimTtlMs) : new FakeDedupStore(claimTtlMs);
      const h = harness(store, { options: { dedup } });
      const ahead = h.processor.claimAhead(chunk.slice(0, length), 't', 0, testMapping);
      expect(ahead instanceof ClaimAhead).toBe(expected);
    });
  });
});
