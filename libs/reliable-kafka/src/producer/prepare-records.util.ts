import { randomUUID } from 'node:crypto';
import type { HeaderValue, OutgoingRecord, RecordHeaders } from '../client/produce-client.interface';
import { InvalidMessageError } from '../errors/invalid-message.error';
import { messageIdText } from '../message-id/message-id-text.util';
import type { MessageIdRegistry } from './message-id-registry';
import type { ProducerMessage } from './producer-message.interface';

/** Bytes counted per record on top of key, value and headers (object and batch overhead), for buffer limits. */
export const RECORD_OVERHEAD_BYTES = 64;

/** A message encoded for the wire, with the id it carries and its size estimate. */
export interface PreparedRecord {
  readonly record: OutgoingRecord;
  /** The id as text (hex for ids that are not UTF-8, see messageIdText). */
  readonly messageId: string;
  /** Size estimate (key + value + headers + overhead), for the buffer and request limits. */
  readonly bytes: number;
  /** The partition the caller chose, if any. */
  readonly explicitPartition?: number;
}

/**
 * Encodes one send's messages: the value (Buffer/string as is, null as a tombstone, else JSON), the id header
 * (the caller's, or the id this same message object got before, or a new UUID), and checks every field, so that a
 * bad message fails the send here with an InvalidMessageError before anything is written.
 */
export function prepareRecords(
  topic: string,
  messages: readonly ProducerMessage[],
  idHeader: string,
  registry: MessageIdRegistry,
): PreparedRecord[] {
  return messages.map((message, index) => {
    const fail = (reason: string): never => {
      throw new InvalidMessageError(topic, index, reason);
    };
    if (typeof message !== 'object' || message === null)
      return fail('a message must be an object with a value');
    const key = message.key ?? null;
    if (key !== null && typeof key !== 'string' && !Buffer.isBuffer(key))
      fail('key must be a string, a Buffer or null');
    const value = encodeValue(message.value, fail);
    const headers = checkHeaders(message.headers, fail);
    const given = headers[idHeader];
    const givenId = Array.isArray(given) ? given[0] : given;
    let messageId: string;
    if (givenId !== undefined && givenId.length > 0) messageId = messageIdText(givenId);
    else {
      messageId = registry.idOf(message, key, value) ?? randomUUID();
      headers[idHeader] = messageId;
    }
    registry.remember(message, messageId, key, value);
    const record: OutgoingRecord = { key, value, headers, ...timestampOf(message.timestamp, fail) };
    return { record, messageId, bytes: recordSize(record), ...partitionOf(message.partition, fail) };
  });
}

/**
 * A record sent byte for byte as it is (a dead letter, a retry-stage copy): no id stamped, no encoding; its id is
 * the `idHeader` header's text when it has one.
 */
export function prepareRawRecord(record: OutgoingRecord, idHeader: string): PreparedRecord {
  const id = record.headers[idHeader];
  const first = Array.isArray(id) ? id[0] : id;
  return { record, messageId: first === undefined ? '' : messageIdText(first), bytes: recordSize(record) };
}

function recordSize(record: OutgoingRecord): number {
  return sizeOf(record.key) + sizeOf(record.value) + headersSize(record.headers) + RECORD_OVERHEAD_BYTES;
}

function encodeValue(value: unknown, fail: (reason: string) => never): Buffer | string | null {
  if (value === null || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    fail(`its value cannot be encoded as JSON (${(error as Error).message})`);
  }
  if (json === undefined)
    fail(`its value (${typeof value}) cannot be encoded as JSON; pass null for a tombstone`);
  return json as string;
}

function checkHeaders(given: ProducerMessage['headers'], fail: (reason: string) => never): RecordHeaders {
  const headers: RecordHeaders = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    if (value === undefined) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v !== 'string' && !Buffer.isBuffer(v)))
      fail(`header '${name}' must be a string, a Buffer or an array of them`);
    headers[name] = value as HeaderValue;
  }
  return headers;
}

function timestampOf(timestamp: unknown, fail: (reason: string) => never): { timestamp?: string } {
  if (timestamp === undefined) return {};
  if (typeof timestamp !== 'string' || !/^\d+$/.test(timestamp))
    fail('timestamp must be milliseconds since epoch as a string of digits');
  return { timestamp: timestamp as string };
}

function partitionOf(partition: unknown, fail: (reason: string) => never): { explicitPartition?: number } {
  if (partition === undefined || partition === null) return {};
  if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0)
    fail('partition must be an integer >= 0');
  return { explicitPartition: partition as number };
}

function sizeOf(data: Buffer | string | null): number {
  if (data === null) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

function headersSize(headers: RecordHeaders): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) total += name.length + sizeOf(v ?? null);
  }
  return total;
}
