import { InvalidRecordBatchError, LOG_OVERHEAD } from './record-batch';

/** LegacyRecord.RECORD_OVERHEAD_V0: no batch of any magic can have a smaller size field. */
const MIN_RECORD_SIZE = 14;
const MAGIC_OFFSET = 16;

/**
 * Splits a produce request's records blob into batches the way Kafka's ByteBufferLogInputStream does: a size
 * below the minimum or a magic outside 0..2 is corrupt (CORRUPT_MESSAGE), and a trailing partial batch is not an
 * error but simply not read (the broker trims it, as UnifiedLog.trimInvalidBytes does). Returns views, no copies.
 */
export function readBatches(records: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const remaining = records.length - pos;
    if (remaining < LOG_OVERHEAD) return out;
    const size = records.readInt32BE(pos + 8);
    if (size < MIN_RECORD_SIZE) throw new InvalidRecordBatchError('corrupt');
    if (remaining < MAGIC_OFFSET + 1) return out;
    const magic = records.readInt8(pos + MAGIC_OFFSET);
    if (magic < 0 || magic > 2) throw new InvalidRecordBatchError('corrupt');
    if (remaining < LOG_OVERHEAD + size) return out;
    out.push(records.subarray(pos, pos + LOG_OVERHEAD + size));
    pos += LOG_OVERHEAD + size;
  }
}
