import * as CRC32C from 'crc-32/crc32c';
import { Writer } from './writer';

/**
 * Record batch v2 (magic 2) header access. The broker keeps each batch as the bytes the client sent: it only
 * validates the CRC and rewrites the base offset and leader epoch, which lie outside the CRC-covered range.
 */
export const BATCH_HEADER_SIZE = 61;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;

export const enum BatchAttr {
  CompressionMask = 0x07,
  Transactional = 0x10,
  Control = 0x20,
}

export interface BatchHeader {
  readonly baseOffset: number;
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
  constructor(readonly reason: 'corrupt' | 'unsupported-magic' | 'truncated') {
    super(`Invalid record batch: ${reason}`);
    this.name = 'InvalidRecordBatchError';
  }
}

export function readBatchHeader(b: Buffer): BatchHeader {
  return {
    baseOffset: Number(b.readBigInt64BE(0)),
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

function crcOf(batch: Buffer): number {
  return CRC32C.buf(batch.subarray(ATTRIBUTES_OFFSET)) >>> 0;
}

/**
 * Splits a produce request's records blob into batches and validates each one (magic 2 and CRC32C).
 * Throws InvalidRecordBatchError: the caller answers CORRUPT_MESSAGE / UNSUPPORTED_FOR_MESSAGE_FORMAT.
 */
export function splitBatches(records: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < 17) throw new InvalidRecordBatchError('truncated');
    const len = records.readInt32BE(pos + 8);
    const end = pos + 12 + len;
    if (len < BATCH_HEADER_SIZE - 12 || end > records.length) throw new InvalidRecordBatchError('truncated');
    const batch = records.subarray(pos, end);
    if (batch.readInt8(16) !== 2) throw new InvalidRecordBatchError('unsupported-magic');
    if (batch.readUInt32BE(CRC_OFFSET) !== crcOf(batch)) throw new InvalidRecordBatchError('corrupt');
    out.push(batch);
    pos = end;
  }
  return out;
}

/** Copies the batch (the request frame is not ours to keep) and stamps the broker-assigned base offset. */
export function stampBatch(batch: Buffer, baseOffset: number, leaderEpoch: number): Buffer {
  const copy = Buffer.from(batch);
  copy.writeBigInt64BE(BigInt(baseOffset), 0);
  copy.writeInt32BE(leaderEpoch, 12);
  return copy;
}

export type ControlType = 'abort' | 'commit';

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
    .int32(BATCH_HEADER_SIZE - 12 + record.length)
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
