import type { KafkaMessage } from 'kafkajs';
import { DeserializationError } from '../../errors/deserialization.error';
import { MessageIdError } from '../../errors/message-id.error';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import { AttemptCounter } from '../../retry/attempt-counter';
import { waitControls } from './batch-scope';
import {
  handlerOptions,
  offsetsOf,
  record,
  recordingLogger,
  recordingScope,
  settleWithTimers,
  testMapping,
  unreadableIdAt,
  useFakeTimersEach,
  withoutJitter,
} from './batch-runner.fixtures';
import { CallLimiter, type ReleaseSlot } from './call-limiter';
import type { ChunkProcessor } from './chunk-processor';
import type { ChunkResult } from './chunk-settlement';
import type { ClaimAhead } from './claim-ahead';
import { ClaimUnavailableError } from './claim-unavailable.error';
import type { FailureForwarder } from './failure-forwarder';
import { LaneRunner } from './lane-runner';
import type { MessageMapping } from './message-mapper.util';

class Invalid extends Error {}

/** What the fake processor answers to one call: a result, or a function of the records it was given. */
type Step = ChunkResult | ((records: readonly KafkaMessage[]) => ChunkResult);

const boom = new Error('boom');
const ok = (records: readonly KafkaMessage[]): ChunkResult => ({ handled: records.length });
/** A failure that names the record at `offset`: the records before it completed. */
const failsAt =
  (offset: string, error: unknown = boom) =>
  (records: readonly KafkaMessage[]): ChunkResult => ({
    handled: records.findIndex((r) => r.offset === offset),
    error,
    failedOffset: offset,
  });
const unavailable = (): ChunkResult => ({ handled: 0, error: new ClaimUnavailableError('g', 'busy') });

const offsets = (...list: number[]) => list.map(String);

/**
 * A LaneRunner over a fake ChunkProcessor that answers each call with the next step (then with success), a fake
 * FailureForwarder, a real CallLimiter and a real AttemptCounter.
 */
function harness(
  setup: {
    steps?: Step[];
    options?: Partial<ResolvedHandlerOptions>;
    forwarding?: boolean;
    forwardResult?: boolean;
    mapping?: MessageMapping;
    limiter?: CallLimiter;
    ahead?: ClaimAhead;
  } = {},
) {
  const steps = [...(setup.steps ?? [])];
  const calls: string[] = [];
  const aheads: Array<ClaimAhead | null> = [];
  const processor = {
    claimAhead: () => setup.ahead ?? null,
    process: async (
      records: readonly KafkaMessage[],
      _messages: unknown,
      _scope: unknown,
      ahead: ClaimAhead | null,
    ) => {
      calls.push(offsetsOf(records));
      aheads.push(ahead ?? null);
      const step = steps.shift() ?? ok;
      return typeof step === 'function' ? step(records) : step;
    },
  };
  const forwarded: Array<{ offset: string; error: unknown; attempts: number }> = [];
  const forwarder = {
    forward: async (r: KafkaMessage, error: unknown, attempts: number) => {
      forwarded.push({ offset: r.offset, error, attempts });
      return setup.forwardResult ?? true;
    },
  };
  const attempts = new AttemptCounter();
  const limiter = setup.limiter ?? new CallLimiter(1);
  const log = recordingLogger();
  const batch = recordingScope();
  const retry = {
    maxAttempts: 3,
    initialDelayMs: 100,
    maxDelayMs: 100,
    nonRetryable: [DeserializationError, Invalid],
  };
  const options = handlerOptions({ maxBatchSize: 2, retry, ...setup.options }, null);
  const runner = new LaneRunner({
    handler: { name: 'T.h', options, invoke: async () => undefined },
    processor: processor as unknown as ChunkProcessor,
    deadLetters: setup.forwarding === false ? null : (forwarder as unknown as FailureForwarder),
    attempts,
    limiter,
    mapping: setup.mapping ?? testMapping,
    logger: log.logger,
  });
  const pastQueue = jest.fn();
  const start = (lane: KafkaMessage[]) => runner.run(lane, batch.scope, waitControls(batch.scope), pastQueue);
  const countOf = (offset: string) => attempts.get('t', 0, offset);
  return { ...batch, calls, aheads, forwarded, attempts, countOf, limiter, log, pastQueue, start };
}

const lane = (n: number) => Array.from({ length: n }, (_, i) => record(i));

/** A harness whose limiter has one slot, held by someone else until `holder()` gives it back. */
function slotHeldElsewhere() {
  const limiter = new CallLimiter(1);
  const holder = limiter.tryAcquire() as ReleaseSlot;
  return { holder, h: harness({ limiter }), limiter };
}

describe('LaneRunner', () => {
  useFakeTimersEach();

  it('runs the lane in chunks of maxBatchSize, one call at a time, and a success clears their attempts', async () => {
    const h = harness();
    h.attempts.fail('t', 0, '2');
    await settleWithTimers(h.start(lane(5)));
    expect(h.calls).toEqual(['0,1', '2,3', '4']);
    expect(h.countOf('2')).toBe(0);
    expect(h.pastQueue).toHaveBeenCalled();
    expect(h.limiter.inUse).toBe(0);
  });

  it('waits with heartbeats while the store cannot claim and tries the same records again, counting no attempt', async () => {
    withoutJitter(); // the backoff is exactly 1000 ms
    const retry = { maxAttempts: 1, initialDelayMs: 1000, maxDelayMs: 1000, nonRetryable: [] };
    const h = harness({ steps: [unavailable, unavailable], options: { retry } });
    const running = h.start(lane(1));
    await jest.advanceTimersByTimeAsync(900);
    expect(h.calls).toEqual(['0']);
    expect(h.state.heartbeats).toBeGreaterThanOrEqual(8);
    await settleWithTimers(running);
    expect(h.calls).toEqual(['0', '0', '0']);
    expect(h.forwarded).toEqual([]); // with maxAttempts 1 a counted attempt would have forwarded it
    expect(h.log.events()).toEqual(['dedup-waiting', 'dedup-waiting']);
  });

  it.each([
    ['the record it names', failsAt('1'), [0, 1, 0], ['0,1,2', '1,2']],
    ['the first record when it names none', { handled: 0, error: boom }, [1, 0, 0], ['0,1,2', '0,1,2']],
  ])('a failure counts an attempt of %s and tries again from it', async (_, failure, counts, calls) => {
    const seen: number[] = [];
    const h = harness({
      options: { maxBatchSize: 3 },
      steps: [failure, (records) => (seen.push(...offsets(0, 1, 2).map((o) => h.countOf(o))), ok(records))],
    });
    await settleWithTimers(h.start(lane(3)));
    expect(seen).toEqual(counts);
    expect(h.calls).toEqual(calls);
    expect(h.log.events()).toEqual(['attempt-failed']);
  });

  it('forwards a record after retry.maxAttempts and goes on after it', async () => {
    const h = harness({ options: { maxBatchSize: 3 }, steps: [failsAt('1'), failsAt('1'), failsAt('1')] });
    await settleWithTimers(h.start(lane(3)));
    expect(h.calls).toEqual(['0,1,2', '1,2', '1,2', '2']);
    expect(h.forwarded).toEqual([{ offset: '1', error: boom, attempts: 3 }]);
    expect(h.countOf('1')).toBe(0);
  });

  it('forwards a non-retryable failure at once', async () => {
    const invalid = new Invalid('schema');
    const h = harness({ steps: [{ handled: 0, error: invalid }] });
    await settleWithTimers(h.start(lane(2).slice(1)));
    expect(h.calls).toEqual(['1']);
    expect(h.forwarded).toEqual([{ offset: '1', error: invalid, attempts: 1 }]);
  });

  it('runs the rest of a chunk one record at a time once a failure naming none used up its attempts', async () => {
    const failsWithOne = (records: readonly KafkaMessage[]): ChunkResult =>
      records.some((r) => r.offset === '1') ? { handled: 0, error: boom } : ok(records);
    const retry = { maxAttempts: 2, initialDelayMs: 100, maxDelayMs: 100, nonRetryable: [] };
    const h = harness({ options: { maxBatchSize: 3, retry }, steps: Array(5).fill(failsWithOne) });
    await settleWithTimers(h.start(lane(3)));
    expect(h.calls).toEqual(['0,1,2', '0,1,2', '0', '1', '1', '2']);
    expect(h.forwarded).toEqual([{ offset: '1', error: boom, attempts: 2 }]);
    expect(h.log.events()).toContain('isolating');
  });

  it('with forwarding off, throws the error after retry.maxAttempts and forgets the attempts', async () => {
    const h = harness({ forwarding: false, steps: Array(3).fill({ handled: 0, error: boom }) });
    await expect(settleWithTimers(h.start(lane(2)))).rejects.toBe(boom);
    expect(h.calls).toEqual(['0,1', '0,1', '0,1']);
    expect(h.countOf('0')).toBe(0);
    expect(h.log.events()).toEqual(['attempt-failed', 'attempt-failed', 'attempt-failed', 'handed-back']);
    expect(h.pastQueue).toHaveBeenCalled();
    expect(h.limiter.inUse).toBe(0);
  });

  it.each([
    ['cannot be deserialized', [record(0), record(1, '{oops'), record(2)], testMapping, DeserializationError],
    ['has an id that cannot be read', lane(3), unreadableIdAt(1), MessageIdError],
  ])(
    'fails a record that %s after the records before it were handled, then goes on',
    async (_, records, mapping, errorClass) => {
      const h = harness({ options: { maxBatchSize: 3 }, mapping });
      await settleWithTimers(h.start(records));
      expect(h.calls).toEqual(['0', '2']);
      expect(h.forwarded).toEqual([{ offset: '1', error: expect.any(errorClass), attempts: 1 }]);
    },
  );

  it('with forwarding off, hands an undecodable record back after the records before it', async () => {
    const h = harness({ forwarding: false, options: { maxBatchSize: 3 } });
    const handing = settleWithTimers(h.start([record(0), record(1, '{oops'), record(2)]));
    await expect(handing).rejects.toBeInstanceOf(DeserializationError);
    expect(h.calls).toEqual(['0']);
  });

  it('starts nothing new once the batch must stop, leaving the rest unfinished', async () => {
    const h = harness({ steps: [(records) => (h.stop(), ok(records))] });
    await settleWithTimers(h.start(lane(6)));
    expect(h.calls).toEqual(['0,1']);
    expect(h.pastQueue).toHaveBeenCalled();
  });

  it('does not even map the next chunk once the batch must stop (an undecodable record counts no attempt)', async () => {
    const h = harness({ steps: [(records) => (h.stop(), ok(records))] });
    await settleWithTimers(h.start([record(0), record(1), record(2, '{oops')]));
    expect(h.calls).toEqual(['0,1']);
    expect(h.countOf('2')).toBe(0);
    expect(h.log.entries).toEqual([]);
  });

  it.each([
    ['the limiter drops the waiting lane', false],
    ['the slot comes before the limiter noticed', true],
  ])('starts no call when the batch stops while the lane waits for a slot (%s)', async (_, slotFreed) => {
    const { h, holder, limiter } = slotHeldElsewhere();
    const running = h.start(lane(2));
    await jest.advanceTimersByTimeAsync(0);
    expect(h.pastQueue).not.toHaveBeenCalled();
    h.stop();
    if (slotFreed) holder();
    await settleWithTimers(running);
    expect(h.calls).toEqual([]);
    expect(h.pastQueue).toHaveBeenCalled();
    holder();
    expect(limiter.inUse).toBe(0);
  });

  it('tells pastQueue also when the lane starts nothing (the batch stopped before it)', async () => {
    const h = harness();
    h.stop();
    await settleWithTimers(h.start(lane(2)));
    expect(h.calls).toEqual([]);
    expect(h.pastQueue).toHaveBeenCalled();
  });

  it('stops during a backoff when the batch must stop, keeping the count for a redelivery', async () => {
    const h = harness({ steps: [{ handled: 0, error: boom }] });
    const running = h.start(lane(2));
    await jest.advanceTimersByTimeAsync(20); // the backoff is 50 to 100 ms
    h.stop();
    await settleWithTimers(running);
    expect(h.calls).toEqual(['0,1']);
    expect(h.countOf('0')).toBe(1); // a redelivery to this process goes on counting
  });

  it('stops after a failure once a commit failed, counting nothing', async () => {
    const h = harness({ steps: [() => ((h.committer.failed = true), { handled: 0, error: boom })] });
    await settleWithTimers(h.start(lane(2)));
    expect(h.calls).toEqual(['0,1']);
    expect(h.countOf('0')).toBe(0);
  });

  it('stops when the forwarder reports the batch must stop, keeping the count', async () => {
    const h = harness({
      forwardResult: false,
      options: { maxBatchSize: 1 },
      steps: [{ handled: 0, error: new Invalid() }],
    });
    await settleWithTimers(h.start(lane(2)));
    expect(h.calls).toEqual(['0']);
    expect(h.forwarded.map((f) => f.offset)).toEqual(['0']);
    expect(h.countOf('0')).toBe(1);
  });

  it('holds a limiter slot only during a call and gives it back when the processor throws', async () => {
    const limiter = new CallLimiter(1);
    const inUse: number[] = [];
    const h = harness({
      limiter,
      steps: [
        (records) => (inUse.push(limiter.inUse), ok(records)),
        () => {
          throw boom;
        },
      ],
    });
    await expect(settleWithTimers(h.start(lane(4)))).rejects.toBe(boom);
    expect(inUse).toEqual([1]);
    expect(limiter.inUse).toBe(0);
  });

  it('waits for a slot held elsewhere and tells pastQueue once it holds one', async () => {
    const { h, holder } = slotHeldElsewhere();
    const running = h.start(lane(1));
    await jest.advanceTimersByTimeAsync(250);
    expect(h.calls).toEqual([]);
    expect(h.pastQueue).not.toHaveBeenCalled();
    holder();
    await settleWithTimers(running);
    expect(h.calls).toEqual(['0']);
    expect(h.pastQueue).toHaveBeenCalled();
  });

  it('hands the claim-ahead to every call and releases it when a chunk fails and when the lane ends', async () => {
    const ahead = { releaseAll: jest.fn(async () => undefined) } as unknown as ClaimAhead;
    const h = harness({ ahead, steps: [ok, { handled: 0, error: boom }] });
    await settleWithTimers(h.start(lane(4)));
    expect(h.calls).toEqual(['0,1', '2,3', '2,3']);
    expect(h.aheads).toEqual([ahead, ahead, ahead]);
    expect(ahead.releaseAll).toHaveBeenCalledTimes(2);
  });

  it('clears the attempts of records completed before a named failure (they succeeded)', async () => {
    // A failure naming none counts against record 0; the next attempt completes 0 and fails at 1: 0 succeeded,
    // but its count stays, so a redelivery of 0 (commit lost to a rebalance) would get one attempt fewer.
    const h = harness({ steps: [{ handled: 0, error: boom }, failsAt('1')] });
    await settleWithTimers(h.start(lane(2)));
    expect(h.calls).toEqual(['0,1', '0,1', '1']);
    expect(h.countOf('0')).toBe(0);
  });
});
