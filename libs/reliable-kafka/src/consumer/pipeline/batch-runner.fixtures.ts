import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { defer, lastValueFrom } from 'rxjs';
import { dedupKey } from '../../dedup/dedup-key.util';
import type { DedupStore } from '../../dedup/dedup-store.interface';
import { DeserializationError } from '../../errors/deserialization.error';
import { CommitAfterSuccessInterceptor } from '../../interceptors/commit-after-success.interceptor';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { jsonDeserializer } from '../../options/default-options';
import type { KafkaContext } from '../kafka-context';
import type { MessageMapping } from './message-mapper.util';

/** Test fixtures shared by the BatchRunner specs (pure logic: a fake kafkajs payload, the real interceptor). */

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
