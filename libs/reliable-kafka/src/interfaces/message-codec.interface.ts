import type { IHeaders } from 'kafkajs';

/** Where a record came from, given to deserializers and id extractors. */
export interface RecordSource {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  headers: IHeaders;
}

/**
 * Turns a record value into the handler's `value`. Throwing is allowed: the runtime wraps the error in a
 * `DeserializationError` naming topic, partition and offset, and the batch fails there (nothing is dropped).
 */
export type MessageDeserializer = (value: Buffer | null, source: RecordSource) => unknown;

/**
 * Returns a message id for records without the id header (a non-empty string or Buffer; ids are compared as bytes),
 * or undefined to fall back to topic/partition/offset. Anything else, or a throw, fails that record with a
 * `MessageIdError` (dead-lettered with the reason; never skipped).
 */
export type MessageIdExtractor = (value: Buffer | null, source: RecordSource) => string | Buffer | undefined;
