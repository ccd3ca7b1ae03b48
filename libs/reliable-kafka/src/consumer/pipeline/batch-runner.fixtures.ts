import type { Logger } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { defer, lastValueFrom } from 'rxjs';
import type { EntityManager } from 'typeorm';
import { dedupKey } from '../../dedup/dedup-key.util';
import type { ClaimStatus, DedupStore, TransactionalDedupStore } from '../../dedup/dedup-store.interface';
import { DeserializationError } from '../../errors/deserialization.error';
import { CommitAfterSuccessInterceptor } from '../../interceptors/commit-after-success.interceptor';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import type { LogEntry } from '../../logging';
import { NOOP_TELEMETRY } from '../../observability';
import { jsonDeserializer } from '../../options/default-options';
import type { HandlerRuntime } from '../handler-runtime.interface';
import type { KafkaContext } from '../kafka-context';
import type { BatchHeartbeat } from './batch-heartbeat';
import type { BatchScope } from './batch-scope';
import { toReliableMessage, type MessageMapping } from './message-mapper.util';
import type { PartitionCommitter } from './partition-committer';

/**
 * Test fixtures shared by the pipeline specs (pure logic: a fake kafkajs payload, the real interceptor, and fakes of
 * the scope, the dedup store and the logger for the specs of single engine classes).
 */

export type FixtureHandler = (messages: ReliableMessage[], context: KafkaContext) => Promise<unknown>;

/** Text ids by the dedup key stores keep for them (see `keyOf`). */
const idsByKey = new Map<string, string>();

/** The dedup key of a text id (stores keep keys; the specs speak of ids). */
export function keyOf(id: string): string {
  const key = dedupKey(Buffer.from(id));
  idsByKey.set(key, id);
  return key;
}

/** The text ids of dedup keys a store was given (keys of ids no fixture made stay as they are). */
export const idsOf = (keys: readonly string[]): string[] => keys.map((k) => idsByKey.get(k) ?? k);

export const record = (offset: number, value = String(offset), id?: string): KafkaMessage => {
  keyOf(id ?? `t/0/${offset}`);
  return message(offset, value, id);
};

const message = (offset: number, value: string, id?: string): KafkaMessage => ({
  offset: String(offset),
  key: null,
  value: Buffer.from(value),
  headers: id ? { 'message-id': id } : {},
  timestamp: '0',
  attributes: 0,
});

/** A record with a key, for the ordering specs. */
export const keyed = (offset: number, key: string): KafkaMessage => ({
  ...record(offset),
  key: Buffer.from(key),
});

/** Lets other lanes and timers run: a handler that awaits it yields like one doing I/O. */
export const later = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 2));

/**
 * A kafkajs batch payload that records what the runner commits (and, with `recordResolves`, resolves) in one
 * event log with the handler's own events, so their order can be checked.
 */
export function fakePayload(
  records: KafkaMessage[],
  events: string[],
  opts: { recordResolves?: boolean } = {},
) {
  const commits: string[] = [];
  const payload = {
    batch: {
      topic: 't',
      partition: 0,
      messages: records,
      lastOffset: () => records[records.length - 1].offset,
      offsetLag: () => '0',
    },
    commitOffsetsIfNecessary: async (o: { topics: { partitions: { offset: string }[] }[] }) => {
      const offset = o.topics[0].partitions[0].offset;
      commits.push(offset);
      events.push(`commit ${offset}`);
    },
    resolveOffset: (offset: string) => {
      if (opts.recordResolves) events.push(`resolve ${offset}`);
    },
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  return { payload, commits };
}

export const testMapping: MessageMapping = {
  messageIdHeader: 'message-id',
  messageIdExtractor: undefined,
  deserializer: jsonDeserializer,
};

/** `testMapping`, except that the id of the record at `offset` cannot be read (its extractor throws). */
export const unreadableIdAt = (offset: number): MessageMapping => ({
  ...testMapping,
  messageIdExtractor: (_value, source) => {
    if (source.offset === String(offset)) throw new Error('no id in this payload');
    return undefined;
  },
});

/** Resolved handler options with fast retries; dead-lettering off unless `overrides` says otherwise. */
export function handlerOptions(
  overrides: Partial<ResolvedHandlerOptions>,
  store: DedupStore | null,
): ResolvedHandlerOptions {
  return {
    topics: ['t'],
    groupId: 'g',
    fromBeginning: false,
    maxBatchSize: 100,
    dedup: store ? 'on' : 'off',
    retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2, nonRetryable: [DeserializationError] },
    deadLetterTopic: false,
    concurrency: 1,
    ordering: 'partition',
    maxProcessingTimeMs: 300_000,
    commitIntervalMs: 0, // every chunk's commit at once, so specs see them one by one
    callTimeoutMs: 5_000,
    rebalanceTimeout: 60_000,
    stallAfterMs: 60_000,
    sessionTimeout: 30_000,
    heartbeatInterval: 1_000,
    retryTopicDelaysMs: [],
    ...overrides,
  };
}

/** Calls `handler` inside the real commit interceptor, as Nest's enhancer chain would. */
export function invokeThroughCommitInterceptor(handler: FixtureHandler) {
  const interceptor = new CommitAfterSuccessInterceptor();
  return (messages: ReliableMessage[], context: KafkaContext) => {
    const host = new ExecutionContextHost([messages, context]);
    host.setType('kafka');
    return lastValueFrom(
      interceptor.intercept(host, { handle: () => defer(() => handler(messages, context)) }),
    );
  };
}

/** A handler runtime over `handler` (called through the real commit interceptor) with `handlerOptions`. */
export function handlerRuntime(
  handler: FixtureHandler,
  overrides: Partial<ResolvedHandlerOptions> = {},
  store: DedupStore | null = null,
): HandlerRuntime {
  return {
    name: 'T.h',
    options: handlerOptions(overrides, store),
    invoke: invokeThroughCommitInterceptor(handler),
  };
}

/** `records` as the handler gets them (topic 't', partition 0, `testMapping`). */
export const messagesOf = (records: readonly KafkaMessage[]): ReliableMessage[] =>
  records.map((r) => toReliableMessage('t', 0, r, testMapping));

/** Offsets (of records or messages) as one string, e.g. `0,1,2`. */
export const offsetsOf = (items: readonly { offset: string }[]): string =>
  items.map((i) => i.offset).join(',');

/**
 * A batch scope (topic 't', partition 0, group 'g') for the specs of single engine classes: its committer notes
 * completions in `completed` and as `complete 0,1` in `events`, and keeps tracked work; heartbeats are counted;
 * `stop()` makes `shouldStop()` true.
 */
export function recordingScope(events: string[] = []) {
  const state = { stopping: false, heartbeats: 0 };
  const completed: string[] = [];
  const tracked: Promise<void>[] = [];
  const committer = {
    failed: false,
    complete(records: readonly KafkaMessage[]) {
      completed.push(...records.map((r) => r.offset));
      events.push(`complete ${offsetsOf(records)}`);
    },
    track: (work: Promise<void>) => void tracked.push(work),
  };
  const scope: BatchScope = {
    payload: { ...fakePayload([], events).payload, heartbeat: async () => void state.heartbeats++ },
    committer: committer as unknown as PartitionCommitter,
    ref: { groupId: 'g', topic: 't', partition: 0 },
    telemetry: NOOP_TELEMETRY,
    shouldStop: () => state.stopping,
    onHeartbeatError: () => undefined,
    confirmMembership: async () => !state.stopping,
    callHeartbeat: { ensureRunning: () => undefined, stop: () => undefined } as unknown as BatchHeartbeat,
  };
  return { scope, committer, events, completed, tracked, state, stop: () => void (state.stopping = true) };
}

/** A Nest logger that keeps the structured entries it is given, so a spec can check their `event` names. */
export function recordingLogger() {
  const entries: LogEntry[] = [];
  const keep = (entry: LogEntry) => void entries.push(entry);
  const logger = { log: keep, warn: keep, error: keep, debug: keep, verbose: keep } as unknown as Logger;
  return { logger, entries, events: () => entries.map((e) => e.event) };
}

/**
 * A dedup store that notes each call in `log` (`claim a,b`, `markDone a`, `release b`; failed calls too) and
 * answers claims with `answer` (every id claimed unless a spec says otherwise). `failures.<method>` makes that
 * many next calls of the method reject.
 */
export class FakeDedupStore implements DedupStore {
  answer: (ids: readonly string[]) => ClaimStatus[] | Promise<ClaimStatus[]> = (ids) =>
    ids.map(() => 'claimed');
  readonly failures = { claim: 0, markDone: 0, release: 0 };

  constructor(
    readonly claimTtlMs?: number,
    readonly log: string[] = [],
  ) {}

  // The store gets dedup keys; it notes and answers by the ids they stand for, as the specs speak of ids.
  async claim(_group: string, keys: readonly string[]): Promise<ClaimStatus[]> {
    const ids = idsOf(keys);
    this.note('claim', ids);
    return this.answer(ids);
  }

  async markDone(_group: string, keys: readonly string[]): Promise<void> {
    this.note('markDone', idsOf(keys));
  }

  async release(_group: string, keys: readonly string[]): Promise<void> {
    this.note('release', idsOf(keys));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  private note(method: keyof FakeDedupStore['failures'], ids: readonly string[]): void {
    this.log.push(`${method} ${ids.join(',')}`);
    if (this.failures[method] === 0) return;
    this.failures[method]--;
    throw new Error(`${method}: ECONNREFUSED`);
  }
}

/**
 * A transactional FakeDedupStore: `runInTransaction` notes `begin`, claims (as `claim`), runs `fn` with `manager`
 * and notes `commit`, or `rollback` when `fn` throws; `unreachable` makes it reject before anything.
 */
export class FakeTransactionalStore extends FakeDedupStore implements TransactionalDedupStore {
  readonly manager = { name: 'tx' } as unknown as EntityManager;
  unreachable: Error | null = null;

  async runInTransaction<T>(
    group: string,
    ids: readonly string[],
    fn: (manager: EntityManager, statuses: ClaimStatus[]) => Promise<T>,
  ): Promise<T> {
    if (this.unreachable) throw this.unreachable;
    this.log.push('begin');
    const statuses = await this.claim(group, ids);
    try {
      const result = await fn(this.manager, statuses);
      this.log.push('commit');
      return result;
    } catch (error) {
      this.log.push('rollback');
      throw error;
    }
  }
}

/**
 * Jest's fake timers for each test of the calling `describe` (the clock at `now` when given), real ones and
 * restored spies (a `Math.random` without jitter) after each.
 */
export function useFakeTimersEach(now?: number): void {
  beforeEach(() => {
    jest.useFakeTimers();
    if (now !== undefined) jest.setSystemTime(now);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });
}

/** Backoff delays without jitter (`backoffDelay` then waits its full capped value); undone by `useFakeTimersEach`. */
export const withoutJitter = (): void => void jest.spyOn(Math, 'random').mockReturnValue(1);

/** With jest's fake timers: advances them in steps until `work` settled, then hands it back (rejection too). */
export async function settleWithTimers<T>(work: Promise<T>, stepMs = 50): Promise<T> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let steps = 0; !settled; steps++) {
    if (steps === 10_000) throw new Error('still pending after 10,000 timer steps');
    await jest.advanceTimersByTimeAsync(stepMs);
  }
  return work;
}
