import { ErrorCode } from './error-codes';
import { BATCH_HEADER_SIZE, BatchAttr, BatchHeader } from './record-batch';
import { Reader } from './reader';

/** What LogValidator checks each record's timestamp against (the topic's message.timestamp.* configs). */
export interface TimestampRules {
  readonly logAppendTime: boolean;
  readonly beforeMaxMs: number;
  readonly afterMaxMs: number;
  readonly now: number;
}

/** A varlong as a JS number: timestamp deltas stay far below 2^53. Reader.varint stops at 35 bits. */
function varlong(r: Reader): number {
  let result = 0;
  for (let shift = 0; shift <= 63; shift += 7) {
    const b = r.int8() & 0xff;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }
  throw new RangeError('varlong too long');
}

/** Skips a varint-length-prefixed field; -1 means null. A negative length other than -1 is invalid. */
function skipField(r: Reader): void {
  const len = r.varint();
  if (len < -1) throw new RangeError('negative field size');
  if (len > 0) r.skip(len);
}

/** Reads one record (DefaultRecord.readFrom) and returns its timestamp delta; throws when malformed. */
function readRecord(r: Reader): number {
  const size = r.varint();
  if (size < 0 || size > r.remaining()) throw new RangeError('record size past the batch end');
  const start = r.offset;
  r.int8(); // attributes
  const timestampDelta = varlong(r);
  r.varint(); // offset delta
  skipField(r); // key
  skipField(r); // value
  const headers = r.varint();
  if (headers < 0) throw new RangeError('negative header count');
  for (let i = 0; i < headers; i++) {
    const keyLen = r.varint();
    if (keyLen < 0) throw new RangeError('negative header key size');
    r.skip(keyLen);
    skipField(r);
  }
  if (r.offset - start !== size) throw new RangeError('record size does not match its fields');
  return timestampDelta;
}

/** LogValidator.validateTimestamp for one record. */
function timestampValid(h: BatchHeader, timestamp: number, rules: TimestampRules): boolean {
  if (!rules.logAppendTime && timestamp !== -1) {
    const diff = rules.now - timestamp;
    return diff <= rules.beforeMaxMs && -diff <= rules.afterMaxMs;
  }
  return (h.attributes & BatchAttr.TimestampLogAppendTime) === 0;
}

/**
 * Walks the records of an uncompressed batch as Kafka's record iterator and LogValidator do: exactly
 * `recordCount` well-formed records filling the batch (else INVALID_RECORD, "Incorrect declared batch size"),
 * each with a timestamp the topic accepts (else INVALID_TIMESTAMP, reported after all records, as
 * LogValidator.processRecordErrors does).
 */
export function scanRecords(batch: Buffer, h: BatchHeader, rules: TimestampRules): ErrorCode {
  const r = new Reader(batch, BATCH_HEADER_SIZE);
  const appendTime = (h.attributes & BatchAttr.TimestampLogAppendTime) !== 0;
  let badTimestamp = false;
  try {
    for (let i = 0; i < h.recordCount; i++) {
      const delta = readRecord(r);
      const timestamp = appendTime ? h.maxTimestamp : h.baseTimestamp + delta;
      if (!timestampValid(h, timestamp, rules)) badTimestamp = true;
    }
  } catch {
    return ErrorCode.INVALID_RECORD;
  }
  if (r.remaining() > 0) return ErrorCode.INVALID_RECORD;
  return badTimestamp ? ErrorCode.INVALID_TIMESTAMP : ErrorCode.NONE;
}
