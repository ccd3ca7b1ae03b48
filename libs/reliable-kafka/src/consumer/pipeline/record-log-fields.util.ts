import type { KafkaMessage } from 'kafkajs';
import type { LogFields } from '../../logging';
import type { PartitionRef } from '../../observability';
import type { MessageMapping } from './message-mapper.util';
import { recordIdOrPosition } from './record-id';

/** The log fields of one record: where it is and its message id, never its key or value. */
export function recordLogFields(ref: PartitionRef, record: KafkaMessage, mapping: MessageMapping): LogFields {
  const messageId = recordIdOrPosition(ref.topic, ref.partition, record, mapping).text;
  return { ...ref, offset: record.offset, messageId };
}
