import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import type { DeadLetterFacts } from '../../retry/dead-letter-headers.util';
import type { DeadLetterSink } from '../../retry/dead-letter-publisher';
import { headerText, RETRY_HEADERS } from '../../retry/retry-headers.util';
import {
  FakeDedupStore,
  handlerOptions,
  record,
  recordingLogger,
  recordingScope,
  settleWithTimers,
  testMapping,
  unreadableIdAt,
  useFakeTimersEach,
} from './batch-runner.fixtures';
import { FailureForwarder } from './failure-forwarder';
import type { MessageMapping } from './message-mapper.util';

import { deadLetterHeaders } from '../../retry/dead-letter-headers.util';

const boom = new Error('boom');
const NOW = 1_700_000_000_000;
const retryStages = { retryTopicDelaysMs: [1000, 5000] };

/** What the fake sink does with one publish: resolve (the ack), throw, or anything in between. */
type Publish = DeadLetterSink['publish'];

/**
 * A FailureForwarder over a sink that notes `publish <topic> <offset>` in the event log the scope (and the store,
 * when there is one) share, fails its first `publishFailures` publishes, and keeps what it was given.
 */
function harness(
  setup: {
    options?: Partial<ResolvedHandlerOptions>;
    store?: FakeDedupStore;
    mapping?: MessageMapping;
    publishFailures?: number;
    publish?: Publish;
  } = {},
) {
  const store = setup.store ?? null;
  const events = store?.log ?? [];
  const published: Array<{ topic: string; facts: DeadLetterFacts; headers?: IHeaders }> = [];
  let failures = setup.publishFailures ?? 0;
  const sink: DeadLetterSink = {
    publish: async (topic, facts, headers, onAttemptFailed) => {
      events.push(`publish ${topic} ${facts.record.offset}`);
      if (failures > 0) {
        failures--;
        throw new Error('NOT_ENOUGH_REPLICAS');
      }
      await setup.publish?.(topic, facts, headers, onAttemptFailed);
      published.push({ topic, facts, headers });
    },
  };
  const retry = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 100, nonRetryable: [] };
  const options = handlerOptions({ deadLetterTopic: undefined, retry, ...setup.options }, store);
  const log = recordingLogger();
  const forwarder = new FailureForwarder(options, sink, store, setup.mapping ?? testMapping, log.logger);
  const batch = recordingScope(events);
  const start = (r: KafkaMessage = record(5, '5', 'id-5')) => forwarder.forward(r, boom, 3, batch.scope);
  const forward = (r?: KafkaMessage) => settleWithTimers(start(r));
  return { ...batch, events, published, log, start, forward };
}

describe('FailureForwarder', () => {
  useFakeTimersEach(NOW);

  it('publishes a record that used up its attempts to <topic>.dlt, and completes it after the ack', async () => {
    const h = harness();
    expect(await h.forward()).toBe(true);
    expect(h.events).toEqual(['publish t.dlt 5', 'complete 5']);
    expect(h.published[0].facts).toMatchObject({
      topic: 't',
      partition: 0,
      groupId: 'g',
      error: boom,
      attempts: 3,
    });
    // the dead-letter headers are built from the facts (compact only after the topic refused the full ones)
    expect(h.published[0].headers).toEqual(deadLetterHeaders(h.published[0].facts));
    expect(h.log.events()).toEqual(['dead-lettered']);
  });

  it("publishes to the handler's own dead-letter topic", async () => {
    const h = harness({ options: { deadLetterTopic: 'all.dlt' } });
    await h.forward();
    expect(h.events).toEqual(['publish all.dlt 5', 'complete 5']);
  });

  it('forwards to the next retry stage with its stage headers, and does not mark the copy done', async () => {
    const h = harness({ options: retryStages, store: new FakeDedupStore() });
    expect(await h.forward()).toBe(true);
    expect(h.events).toEqual(['publish t.retry.1000 5', 'complete 5']);
    const headers = h.published[0].headers;
    expect(headerText(headers, RETRY_HEADERS.stage)).toBe('1');
    expect(headerText(headers, RETRY_HEADERS.dueAt)).toBe(String(NOW + 1000));
    expect(headerText(headers, 'message-id')).toBe('id-5');
    expect(h.log.events()).toEqual(['retry-forwarded']);
  });

  it("marks a dead letter's id done after the ack and before completing it, when dedup is on", async () => {
    const h = harness({ store: new FakeDedupStore() });
    await h.forward();
    expect(h.events).toEqual(['publish t.dlt 5', 'markDone id-5', 'complete 5']);
  });

  it('marks nothing when dedup is off for the handler', async () => {
    const h = harness({ store: new FakeDedupStore(), options: { dedup: 'off' } });
    await h.forward();
    expect(h.events).toEqual(['publish t.dlt 5', 'complete 5']);
  });

  it.each([
    ['the dead-letter topic', 'dead-letter-waiting', {}],
    ['a retry stage', 'retry-publish-waiting', retryStages],
  ])(
    'retries a publish to %s with heartbeats until it is acknowledged, logging %s per failure',
    async (_, waiting, options) => {
      const h = harness({ options, publishFailures: 2 });
      const forwarding = h.start();
      await jest.advanceTimersByTimeAsync(40); // backoff of 50 to 100 ms
      expect(h.completed).toEqual([]);
      expect(await settleWithTimers(forwarding)).toBe(true);
      expect(h.events).toHaveLength(4);
      expect(h.events[3]).toBe('complete 5');
      expect(h.log.events().slice(0, 2)).toEqual([waiting, waiting]);
      expect(h.state.heartbeats).toBeGreaterThan(0);
    },
  );

  it('returns false and completes nothing when the batch must stop while the publish keeps failing', async () => {
    const h = harness({ store: new FakeDedupStore(), publishFailures: Number.MAX_SAFE_INTEGER });
    const forwarding = h.start();
    await jest.advanceTimersByTimeAsync(250);
    h.stop();
    expect(await settleWithTimers(forwarding)).toBe(false);
    expect(h.completed).toEqual([]);
    expect(h.events.every((e) => e === 'publish t.dlt 5')).toBe(true);
  });

  it('returns false and completes nothing when marking the dead letter done cannot land before the batch stops', async () => {
    const store = new FakeDedupStore();
    store.failures.markDone = Number.MAX_SAFE_INTEGER;
    const h = harness({ store });
    const forwarding = h.start();
    await jest.advanceTimersByTimeAsync(250);
    h.stop();
    expect(await settleWithTimers(forwarding)).toBe(false);
    expect(h.published).toHaveLength(1);
    expect(h.completed).toEqual([]);
    expect(h.log.events()).toContain('dedup-waiting');
  });

  it('forwards a record whose id cannot be read under its position id', async () => {
    const dead = harness({ store: new FakeDedupStore(), mapping: unreadableIdAt(5) });
    await dead.forward(record(5));
    expect(dead.events).toEqual(['publish t.dlt 5', 'markDone t/0/5', 'complete 5']);
    const staged = harness({ options: retryStages, mapping: unreadableIdAt(5) });
    await staged.forward(record(5));
    expect(headerText(staged.published[0].headers, 'message-id')).toBe('t/0/5');
  });

  it.each([
    ['dead-letter-waiting', {}],
    ['retry-publish-waiting', retryStages],
  ])('hands the sink an onAttemptFailed that logs a %s line', async (waiting, options) => {
    const publish: Publish = async (_topic, _facts, _headers, onAttemptFailed) =>
      onAttemptFailed?.(new Error('LEADER_NOT_AVAILABLE'), 250);
    const h = harness({ options, publish });
    await h.forward();
    expect(h.log.events()[0]).toBe(waiting);
    expect(h.log.entries[0]).toMatchObject({
      offset: '5',
      messageId: 'id-5',
      error: 'Error: LEADER_NOT_AVAILABLE',
    });
    expect(h.log.entries[0].message).toContain('250 ms');
  });

  it('heartbeats while a publish waits for its ack, and stops when it came', async () => {
    const publish: Publish = () => new Promise((resolve) => setTimeout(resolve, 2000));
    const h = harness({ publish });
    await h.forward();
    expect(h.state.heartbeats).toBeGreaterThanOrEqual(3); // every 500 ms (half the heartbeat interval)
    const beats = h.state.heartbeats;
    await jest.advanceTimersByTimeAsync(2000);
    expect(h.state.heartbeats).toBe(beats);
  });
});
