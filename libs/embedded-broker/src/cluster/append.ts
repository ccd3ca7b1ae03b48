import { ErrorCode } from '../protocol/error-codes';
import { readBatchHeader, stampBatch } from '../protocol/record-batch';
import { validateClientBatch } from './log-validator';
import { Partition } from './partition';
import { toLogEntry } from './partition-log';

export type AppendResult =
  | { readonly errorCode: ErrorCode.NONE; readonly baseOffset: number; readonly lastOffset: number }
  | { readonly errorCode: ErrorCode; readonly baseOffset: -1; readonly lastOffset: -1 };

const failed = (errorCode: ErrorCode): AppendResult => ({ errorCode, baseOffset: -1, lastOffset: -1 });

/**
 * Appends one client batch to the partition leader as UnifiedLog.appendAsLeader does: record validation
 * (LogValidator), then the leader replica's own producer state (a retried duplicate of one of the producer's last
 * five batches gets its original offsets back and is not stored twice; epochs and sequences are checked), then
 * the append, which updates that state. Synchronous on purpose: requests are applied in arrival order.
 */
export function appendBatch(p: Partition, batch: Buffer, now: number): AppendResult {
  const log = p.leaderLog;
  if (!log) return failed(ErrorCode.LEADER_NOT_AVAILABLE);
  const h = readBatchHeader(batch);
  const invalid = validateClientBatch(batch, h, p.config, now);
  if (invalid !== ErrorCode.NONE) return failed(invalid);
  const seq = log.producers.check(h);
  if (seq.kind === 'error') return failed(seq.code);
  if (seq.kind === 'duplicate')
    return { errorCode: ErrorCode.NONE, baseOffset: seq.baseOffset, lastOffset: seq.lastOffset };
  const base = log.logEndOffset;
  p.appendAsLeader([toLogEntry(stampBatch(batch, base, p.leaderEpoch), now)]);
  return { errorCode: ErrorCode.NONE, baseOffset: base, lastOffset: base + h.lastOffsetDelta };
}
