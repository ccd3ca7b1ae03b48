import type { IHeaders, KafkaMessage } from 'kafkajs';
import { MessageIdError } from '../../errors/message-id.error';
import type { MessageIdExtractor, RecordSource } from '../../interfaces/message-codec.interface';
import { messageIdText } from '../../message-id/message-id-text.util';

/** Where a record's id comes from (from the resolved module options). */
export interface IdRule {
  readonly messageIdHeader: string;
  readonly messageIdExtractor: MessageIdExtractor | undefined;
}

/** A record's message id: its bytes (what dedup compares) and their text for logs (hex when not UTF-8). */
export interface RecordId {
  readonly bytes: Buffer;
  readonly text: string;
}

/**
 * THE id rule, the one place it lives (claims, messages, logs and dead letters all use it): the id header's raw
 * bytes (its last value when repeated, as the decoded headers keep), else what `messageIdExtractor` returns (a
 * non-empty string or Buffer), else `topic/partition/offset`. An extractor that throws or returns anything else
 * makes the record unreadable: `MessageIdError`, never a silent fallback that would merge distinct messages.
 */
export function recordIdOf(topic: string, partition: number, record: KafkaMessage, rule: IdRule): RecordId {
  const header = lastValue(record.headers, rule.messageIdHeader);
  if (header !== undefined && header.length > 0) return idOf(header);
  const extracted = extract(topic, partition, record, rule.messageIdExtractor);
  return idOf(extracted ?? `${topic}/${partition}/${record.offset}`);
}

/**
 * The id, or for a record whose id cannot be read its position (`topic/partition/offset`): for log lines and for
 * dead-lettering that very record, which must never fail on the id that made it fail.
 */
export function recordIdOrPosition(
  topic: string,
  partition: number,
  record: KafkaMessage,
  rule: IdRule,
): RecordId {
  try {
    return recordIdOf(topic, partition, record, rule);
  } catch {
    return idOf(`${topic}/${partition}/${record.offset}`);
  }
}

function extract(
  topic: string,
  partition: number,
  record: KafkaMessage,
  extractor: MessageIdExtractor | undefined,
): Buffer | string | undefined {
  if (!extractor) return undefined;
  let id: unknown;
  try {
    id = extractor(record.value, recordSource(topic, partition, record));
  } catch (error) {
    throw new MessageIdError(topic, partition, record.offset, 'messageIdExtractor threw', error);
  }
  if (id === undefined) return undefined;
  if ((typeof id === 'string' || Buffer.isBuffer(id)) && id.length > 0) return id;
  const what =
    id === null
      ? 'null'
      : typeof id === 'string'
        ? 'an empty string'
        : Buffer.isBuffer(id)
          ? 'an empty Buffer'
          : typeof id;
  throw new MessageIdError(
    topic,
    partition,
    record.offset,
    `messageIdExtractor returned ${what}; return a non-empty string or Buffer, or undefined for topic/partition/offset`,
  );
}

/** Where a record came from, as deserializers and id extractors get it. */
export function recordSource(topic: string, partition: number, record: KafkaMessage): RecordSource {
  return { topic, partition, offset: record.offset, key: record.key, headers: record.headers ?? {} };
}

function lastValue(headers: IHeaders | undefined, name: string): Buffer | string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function idOf(id: Buffer | string): RecordId {
  return typeof id === 'string'
    ? { bytes: Buffer.from(id), text: id }
    : { bytes: id, text: messageIdText(id) };
}
