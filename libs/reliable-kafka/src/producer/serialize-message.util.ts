import { randomUUID } from 'crypto';
import type { IHeaders, Message } from 'kafkajs';
import type { ProducerMessage } from './producer-message.interface';

/** A message ready for kafkajs, with the id it carries. */
export interface PreparedMessage {
  message: Message;
  messageId: string;
}

/**
 * Encodes the value (Buffer/string as is, null as tombstone, else JSON) and stamps the id header when absent.
 * A fresh object is built per message: the partitioner writes its choice into it (see StickyPartitioner).
 */
export function prepareMessage(input: ProducerMessage, idHeader: string): PreparedMessage {
  const headers: IHeaders = { ...(input.headers ?? {}) };
  let messageId = headerText(headers[idHeader]);
  if (messageId === undefined) {
    messageId = randomUUID();
    headers[idHeader] = messageId;
  }
  const message: Message = { key: input.key ?? null, value: encodeValue(input.value), headers };
  if (input.partition !== undefined) message.partition = input.partition;
  if (input.timestamp !== undefined) message.timestamp = input.timestamp;
  return { message, messageId };
}

function encodeValue(value: unknown): Buffer | string | null {
  if (value === null || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`message value ${String(value)} cannot be serialized to JSON`);
  return json;
}

function headerText(value: IHeaders[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  const text = first.toString();
  return text.length > 0 ? text : undefined;
}
