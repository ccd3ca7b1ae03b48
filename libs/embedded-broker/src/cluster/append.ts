import { ErrorCode } from '../protocol/error-codes';
import {
  InvalidRecordBatchError,
  readBatchHeader,
  splitBatches,
  stampBatch,
  BatchAttr,
} from '../protocol/record-batch';
import { Partition } from './partition';
import { toLogEntry } from './partition-log';

export type AppendResult =
  | { readonly errorCode: ErrorCode.NONE; readonly baseOffset: number; readonly lastOffset: number }
  | { readonly errorCode: ErrorCode; readonly baseOffset: -1; readonly lastOffset: -1 };

const failed = (errorCode: ErrorCode): AppendResult => ({ errorCode, baseOffset: -1, lastOffset: -1 });

/**
 * Validates and appends a produce request's records to the partition leader: CRC, size, idempotent sequence
 * checks (a retried duplicate gets its original offset back and is not stored twice), transaction tracking.
 * Synchronous on purpose: requests of one connection are applied in arrival order.
 */
export function appendRecords(p: Partition, records: Buffer | null, now: number): AppendResult {
  let batches: Buffer[];
  try {
    batches = splitBatches(records ?? Buffer.alloc(0));
  } catch (err) {
    const reason = (err as InvalidRecordBatchError).reason;
    return failed(
      reason === 'unsupported-magic' ? ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT : ErrorCode.CORRUPT_MESSAGE,
    );
  }
  if (batches.length === 0) return failed(ErrorCode.CORRUPT_MESSAGE);
  const maxBytes = p.config.number('max.message.bytes');
  if (batches.some((b) => b.length > maxBytes)) return failed(ErrorCode.MESSAGE_TOO_LARGE);
  const log = p.leaderLog;
  if (!log) return failed(ErrorCode.LEADER_NOT_AVAILABLE);
  let first = -1;
  let last = -1;
  for (const b of batches) {
    const h = readBatchHeader(b);
    const seq = p.producers.check(h);
    if (seq.kind === 'error') return failed(seq.code);
    if (seq.kind === 'duplicate') {
      if (first < 0) first = seq.baseOffset;
      last = seq.baseOffset + h.lastOffsetDelta;
      continue;
    }
    const base = log.logEndOffset;
    p.appendAsLeader([toLogEntry(stampBatch(b, base, p.leaderEpoch), now)]);
    p.producers.record(h, base);
    if (h.attributes & BatchAttr.Transactional) p.txns.onTransactionalAppend(h.producerId, base);
    if (first < 0) first = base;
    last = base + h.lastOffsetDelta;
  }
  return { errorCode: ErrorCode.NONE, baseOffset: first, lastOffset: last };
}
