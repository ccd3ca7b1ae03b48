import { ErrorCode } from '../protocol/error-codes';
import {
  BATCH_HEADER_SIZE,
  BatchAttr,
  BatchHeader,
  Compression,
  InvalidRecordBatchError,
  readBatchHeader,
} from '../protocol/record-batch';
import { readBatches } from '../protocol/record-batch-stream';

export type ProduceRecords =
  | { readonly ok: true; readonly batch: Buffer; readonly header: BatchHeader }
  | { readonly ok: false; readonly errorCode: ErrorCode };

const refuse = (errorCode: ErrorCode): ProduceRecords => ({ ok: false, errorCode });

/**
 * ProduceRequest.validateRecords for v3+ (KafkaApis.handleProduceRequest runs it before anything else): exactly
 * one record batch per partition, of magic 2, and no zstd before v7. A blob that cannot even be split into
 * batches is corrupt.
 */
export function validateProduceRecords(version: number, records: Buffer | null): ProduceRecords {
  let batches: Buffer[];
  try {
    batches = readBatches(records ?? Buffer.alloc(0));
  } catch (err) {
    if (err instanceof InvalidRecordBatchError) return refuse(ErrorCode.CORRUPT_MESSAGE);
    throw err;
  }
  if (batches.length === 0) return refuse(ErrorCode.INVALID_RECORD);
  const [batch] = batches;
  if (batch.readInt8(16) !== 2) return refuse(ErrorCode.INVALID_RECORD);
  // Too short for a v2 header: DefaultRecordBatch.isValid fails, so the log would call it corrupt.
  if (batch.length < BATCH_HEADER_SIZE) return refuse(ErrorCode.CORRUPT_MESSAGE);
  const header = readBatchHeader(batch);
  if (version < 7 && (header.attributes & BatchAttr.CompressionMask) === Compression.Zstd)
    return refuse(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  if (batches.length > 1) return refuse(ErrorCode.INVALID_RECORD);
  return { ok: true, batch, header };
}

/** RequestUtils.hasTransactionalRecords: whether any partition's first batch is transactional. */
export function hasTransactionalRecords(records: ReadonlyArray<Buffer | null>): boolean {
  return records.some((r) => {
    try {
      const [first] = readBatches(r ?? Buffer.alloc(0));
      if (first === undefined || first.length < BATCH_HEADER_SIZE) return false;
      return (readBatchHeader(first).attributes & BatchAttr.Transactional) !== 0;
    } catch {
      return false;
    }
  });
}
