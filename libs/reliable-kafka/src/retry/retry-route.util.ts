import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { ResolvedHandlerOptions } from '../interfaces/batch-handler-options.interface';
import { deadLetterTopicFor, deadLetterTopicName, retryTopicName } from '../provisioning/topic-names.util';
import { DEAD_LETTER_HEADERS, type DeadLetterFacts } from './dead-letter-headers.util';
import { isNonRetryable } from './retry-classifier.util';
import { headerText, retryHeaders } from './retry-headers.util';

/** The options a route depends on. */
export type RouteOptions = Pick<
  ResolvedHandlerOptions,
  'topics' | 'groupId' | 'deadLetterTopic' | 'retry' | 'retryTopicDelaysMs'
>;

/** A record that used up its attempts on the topic it was consumed from. */
export interface FailedRecord {
  topic: string;
  partition: number;
  record: KafkaMessage;
  error: unknown;
  /** Attempts on this topic (1 with retry topics). */
  attempts: number;
  /** Its dedup id, stamped on a forwarded copy that has no id header, so both copies share one id. */
  /** The record's id bytes (the id rule's), written as the id header of a retry-stage copy that has none. */
  messageId: Buffer;
  /** The header the dedup id is read from (`message-id` by default). */
  messageIdHeader: string;
}

/** Where a failed record goes next: the following retry stage, or the dead-letter topic. */
export type RetryRoute =
  | {
      kind: 'retry';
      topic: string;
      stage: number;
      attempts: number;
      headers: IHeaders;
      origin: DeadLetterFacts;
    }
  | { kind: 'dead-letter'; topic: string; attempts: number; origin: DeadLetterFacts };

/** Position of a consumed topic in the retry chain: the main topic is stage 0. */
export interface StagePosition {
  /** The topic the handler subscribed to, whose stages and dead-letter topic these are. */
  originTopic: string;
  stage: number;
}

/** Finds `topic` among the handler's topics and their stage topics; an unknown topic is a main topic. */
export function stageOf(
  options: Pick<RouteOptions, 'topics' | 'retryTopicDelaysMs'>,
  topic: string,
): StagePosition {
  for (const main of options.topics) {
    if (typeof main !== 'string') continue;
    const index = options.retryTopicDelaysMs.findIndex((d) => retryTopicName(main, d) === topic);
    if (index >= 0) return { originTopic: main, stage: index + 1 };
  }
  return { originTopic: topic, stage: 0 };
}

/**
 * Chooses the next destination of a failed record. Without retry topics it is the dead-letter topic, as
 * before. With them: stage i fails -> stage i+1; the last stage (or any stage on a non-retryable error) ->
 * the ORIGINAL topic's dead-letter topic, or the handler's own. The facts describe the original record (topic,
 * partition, offset, timestamp carried in `x-original-*` headers) and the attempts across all stages.
 */
export function routeFailure(options: RouteOptions, failed: FailedRecord, now: number): RetryRoute {
  const { originTopic, stage } = stageOf(options, failed.topic);
  const attempts = stage + failed.attempts;
  const origin = originFacts(options.groupId, failed, originTopic, stage, attempts);
  const delays = options.retryTopicDelaysMs;
  const deadLetter = (): RetryRoute => ({
    kind: 'dead-letter',
    topic: deadLetterTopicFor(options, originTopic) ?? deadLetterTopicName(originTopic),
    attempts,
    origin,
  });
  if (stage >= delays.length || isNonRetryable(failed.error, options.retry.nonRetryable)) return deadLetter();
  const next = { stage: stage + 1, dueAt: now + delays[stage] };
  const headers = retryHeaders(origin, next);
  if (headerText(failed.record.headers, failed.messageIdHeader) === undefined)
    headers[failed.messageIdHeader] = failed.messageId;
  return {
    kind: 'retry',
    topic: retryTopicName(originTopic, delays[stage]),
    stage: next.stage,
    attempts,
    headers,
    origin,
  };
}

/** Dead-letter facts of the original record: itself on the main topic, its carried origin on a stage. */
function originFacts(
  groupId: string,
  failed: FailedRecord,
  originTopic: string,
  stage: number,
  attempts: number,
): DeadLetterFacts {
  const { record, partition, error } = failed;
  if (stage === 0) return { topic: failed.topic, partition, record, groupId, error, attempts };
  const H = DEAD_LETTER_HEADERS;
  const carried = (name: string) => headerText(record.headers, name);
  const originPartition = Number(carried(H.partition));
  return {
    topic: originTopic,
    partition: Number.isInteger(originPartition) ? originPartition : partition,
    record: {
      ...record,
      offset: carried(H.offset) ?? record.offset,
      timestamp: carried(H.timestamp) ?? record.timestamp,
    },
    groupId,
    error,
    attempts,
  };
}
