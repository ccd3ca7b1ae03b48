import * as CRC32C from 'crc-32/crc32c';
import { Reader } from './reader';
import { Writer } from './writer';

/**
 * Record batch v2 (magic 2) header access. The broker keeps each batch as the bytes the client sent: it only
 * validates it and rewrites the base offset and leader epoch, which lie outside the CRC-covered range.
 */
export const BATCH_HEADER_SIZE = 61;
/** Base offset (8) and batch length (4): what precedes the length-counted part of a batch (Kafka's LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;

export const enum BatchAttr {
  CompressionMask = 0x07,
  TimestampLogAppendTime = 0x08,
  Transactional = 0x10,
  Control = 0x20,
}

/** Compression codec ids of the attributes' low three bits. */
export const enum Compression {
  None = 0,
  Zstd = 4,
}

export interface BatchHeader {
  readonly baseOffset: number;
  readonly batchLength: number;
  readonly magic: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

export class InvalidRecordBatchError extends Error {
  constructor(readonly reason: 'corrupt') {
    super(`Invalid record batch: ${reason}`);
    this.name = 'InvalidRecordBatchError';
  }
}

/** Reads the fixed header; the caller makes sure the batch has at least BATCH_HEADER_SIZE bytes. */
export function readBatchHeader(b: Buffer): BatchHeader {
  return {
    baseOffset: Number(b.readBigInt64BE(0)),
    batchLength: b.readInt32BE(8),
    magic: b.readInt8(16),
    attributes: b.readInt16BE(ATTRIBUTES_OFFSET),
    lastOffsetDelta: b.readInt32BE(23),
    baseTimestamp: Number(b.readBigInt64BE(27)),
    maxTimestamp: Number(b.readBigInt64BE(35)),
    producerId: Number(b.readBigInt64BE(43)),
    producerEpoch: b.readInt16BE(51),
    baseSequence: b.readInt32BE(53),
    recordCount: b.readInt32BE(57),
  };
}

/** The batch's last sequence number; sequences are int32 and wrap to 0 (DefaultRecordBatch.lastSequence). */
export function lastSequence(h: BatchHeader): number {
  if (h.baseSequence < 0) return -1;
  const last = h.baseSequence + h.lastOffsetDelta;
  return last > 0x7fffffff ? last - 0x7fffffff - 1 : last;
}

function crcOf(batch: Buffer): number {
  return CRC32C.buf(batch.subarray(ATTRIBUTES_OFFSET)) >>> 0;
}

/** DefaultRecordBatch.isValid: large enough for a header, and the CRC32C matches. */
export function hasValidCrc(batch: Buffer): boolean {
  return batch.length >= BATCH_HEADER_SIZE && batch.readUInt32BE(CRC_OFFSET) === crcOf(batch);
}

/** Copies the batch (the request frame is not ours to keep) and stamps the broker-assigned base offset. */
export function stampBatch(batch: Buffer, baseOffset: number, leaderEpoch: number): Buffer {
  const copy = Buffer.from(batch);
  copy.writeBigInt64BE(BigInt(baseOffset), 0);
  copy.writeInt32BE(leaderEpoch, 12);
  return copy;
}

export type ControlType = 'abort' | 'commit';

/**
 * The marker type of a control batch (its first record's key: version int16, type int16; 0 = abort, 1 = commit),
 * or null when the batch holds no readable marker.
 */
export function controlTypeOf(batch: Buffer): ControlType | null {
  try {
    const r = new Reader(batch, BATCH_HEADER_SIZE);
    r.varint(); // record length
    r.int8(); // attributes
    r.varint(); // timestamp delta (markers use 0)
    r.varint(); // offset delta
    if (r.varint() < 4) return null;
    r.int16(); // key version
    const type = r.int16();
    return type === 1 ? 'commit' : type === 0 ? 'abort' : null;
  } catch {
    return null;
  }
}

/** Builds a transaction marker (control batch with one record), as the coordinator writes on EndTxn. */
export function buildControlBatch(
  producerId: number,
  producerEpoch: number,
  type: ControlType,
  timestamp: number,
  coordinatorEpoch = 0,
): Buffer {
  const key = new Writer(8)
    .int16(0)
    .int16(type === 'commit' ? 1 : 0)
    .toBuffer();
  const value = new Writer(8).int16(0).int32(coordinatorEpoch).toBuffer();
  const body = new Writer(32)
    .int8(0) // record attributes
    .varint(0) // timestamp delta
    .varint(0) // offset delta
    .varint(key.length)
    .raw(key)
    .varint(value.length)
    .raw(value)
    .varint(0) // headers
    .toBuffer();
  const record = new Writer(body.length + 5).varint(body.length).raw(body).toBuffer();
  const w = new Writer(BATCH_HEADER_SIZE + record.length)
    .int64(0)
    .int32(BATCH_HEADER_SIZE - LOG_OVERHEAD + record.length)
    .int32(0)
    .int8(2)
    .uint32(0)
    .int16(BatchAttr.Transactional | BatchAttr.Control)
    .int32(0)
    .int64(timestamp)
    .int64(timestamp)
    .int64(producerId)
    .int16(producerEpoch)
    .int32(-1)
    .int32(1)
    .raw(record);
  const batch = w.toBuffer();
  batch.writeUInt32BE(crcOf(batch), CRC_OFFSET);
  return batch;
}
