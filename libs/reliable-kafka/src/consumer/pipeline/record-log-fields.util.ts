import type { KafkaMessage } from 'kafkajs';
import type { LogFields } from '../../logging';
import type { PartitionRef } from '../../observability';
import { decodeHeader, type MessageMapping } from './message-mapper.util';

/** The record's dedup id as the mapper would give it, computed without deserializing the value. */
export function recordId(
  topic: string,
  partition: number,
  record: KafkaMessage,
  mapping: MessageMapping,
): string {
  const fromHeader = decodeHeader(record.headers, mapping.messageIdHeader);
  if (fromHeader) return fromHeader;
  let extracted: string | undefined;
  try {
    const source = {
      topic,
      partition,
      offset: record.offset,
      key: record.key,
      headers: record.headers ?? {},
    };
    extracted = mapping.messageIdExtractor?.(record.value, source);
  } catch {
    extracted = undefined; // a malformed record may break the extractor too: fall back like the mapper does
  }
  return extracted || `${topic}/${partition}/${record.offset}`;
}

/** The log fields of one record: where it is and its message id, never its key or value. */
export function recordLogFields(ref: PartitionRef, record: KafkaMessage, mapping: MessageMapping): LogFields {
  return { ...ref, offset: record.offset, messageId: recordId(ref.topic, ref.partition, record, mapping) };
}
