import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DeserializationError } from '../../errors/deserialization.error';
import type { MessageDeserializer } from '../../interfaces/message-codec.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { recordIdOf, recordSource, type IdRule } from './record-id';

/** How records become `ReliableMessage`s (from the resolved module options). */
export interface MessageMapping extends IdRule {
  deserializer: MessageDeserializer;
}

/** Headers as strings; a repeated header keeps its last value. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const name in headers) {
    const text = decodeHeader(headers, name);
    if (text !== undefined) out[name] = text;
  }
  return out;
}

/** One header as a string (its last value when repeated), undefined when absent. */
export function decodeHeader(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined) return undefined;
  return Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
}

/**
 * Maps one record: its value (the deserializer), its id (`recordIdOf`, the one id rule) and decoded headers.
 * Throws `DeserializationError` (naming topic, partition and offset) when the deserializer throws, or its
 * subclass `MessageIdError` when the id cannot be read, so the batch fails at this record instead of dropping it.
 */
export function toReliableMessage(
  topic: string,
  partition: number,
  record: KafkaMessage,
  mapping: MessageMapping,
): ReliableMessage {
  const headers = decodeHeaders(record.headers);
  let value: unknown;
  try {
    value = mapping.deserializer(record.value, recordSource(topic, partition, record));
  } catch (cause) {
    throw new DeserializationError(topic, partition, record.offset, cause);
  }
  const id = recordIdOf(topic, partition, record, mapping);
  return {
    id: id.text,
    idBytes: id.bytes,
    topic,
    partition,
    offset: record.offset,
    key: record.key === null ? null : record.key.toString('utf8'),
    value,
    headers,
    timestamp: record.timestamp,
  };
}

/**
 * Maps records in order and stops at the first that cannot be deserialized: the messages before it are
 * returned, and the error is returned next to them so the caller can handle the prefix first, then fail.
 */
export function mapRecords(
  topic: string,
  partition: number,
  records: readonly KafkaMessage[],
  mapping: MessageMapping,
): { messages: ReliableMessage[]; error?: DeserializationError } {
  const messages: ReliableMessage[] = [];
  for (const record of records) {
    try {
      messages.push(toReliableMessage(topic, partition, record, mapping));
    } catch (error) {
      if (error instanceof DeserializationError) return { messages, error };
      throw error;
    }
  }
  return { messages };
}
