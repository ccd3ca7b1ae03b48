import type { IHeaders, KafkaMessage } from 'kafkajs';
import { rootError } from './retry-classifier.util';

/** Names of the headers a dead letter carries next to the original record's own headers. */
export const DEAD_LETTER_HEADERS = {
  topic: 'x-original-topic',
  partition: 'x-original-partition',
  offset: 'x-original-offset',
  timestamp: 'x-original-timestamp',
  consumerGroup: 'x-original-consumer-group',
  errorClass: 'x-error-class',
  errorMessage: 'x-error-message',
  errorStack: 'x-error-stack',
  attempts: 'x-attempts',
} as const;

/** Where a dead letter came from and why it failed. */
export interface DeadLetterFacts {
  topic: string;
  partition: number;
  record: KafkaMessage;
  groupId: string;
  error: unknown;
  attempts: number;
}

/** Longest stack kept in a header, so a deep stack cannot push the record over the broker's size limit. */
const MAX_STACK_CHARS = 8_000;
/** Longest error message kept in a header (a message can be as long as its author likes). */
const MAX_MESSAGE_CHARS = 2_000;
/** The same bound when the dead letter had to be cut down to fit its topic. */
const COMPACT_MESSAGE_CHARS = 200;

/**
 * The original headers, unchanged (Buffers as they came), plus the dead-letter headers, bounded in size;
 * `compact` cuts them down further for a record near its topic's size limit. A header of the same name
 * already on the record (a dead letter consumed and failing again) is replaced by this failure's value.
 */
export function deadLetterHeaders(facts: DeadLetterFacts, compact = false): IHeaders {
  const error = rootError(facts.error);
  const described = error instanceof Error ? error : new Error(String(error));
  const H = DEAD_LETTER_HEADERS;
  return {
    ...(facts.record.headers ?? {}),
    [H.topic]: facts.topic,
    [H.partition]: String(facts.partition),
    [H.offset]: facts.record.offset,
    [H.timestamp]: facts.record.timestamp,
    [H.consumerGroup]: facts.groupId,
    [H.errorClass]: described.name || described.constructor.name,
    [H.errorMessage]: described.message.slice(0, compact ? COMPACT_MESSAGE_CHARS : MAX_MESSAGE_CHARS),
    // Compact (the topic refused the full dead letter as too large): no stack, a short message.
    [H.errorStack]: compact ? '' : (described.stack ?? '').slice(0, MAX_STACK_CHARS),
    [H.attempts]: String(facts.attempts),
  };
}
