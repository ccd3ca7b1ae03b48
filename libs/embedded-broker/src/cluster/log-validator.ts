import { ErrorCode } from '../protocol/error-codes';
import { BatchAttr, BatchHeader, Compression, hasValidCrc } from '../protocol/record-batch';
import { scanRecords, TimestampRules } from '../protocol/record-scan';
import { TopicConfig } from './configs';

const LONG_MAX = Number.MAX_SAFE_INTEGER;

/** A config value where Long.MAX_VALUE means "no limit" (Number() of it is above MAX_SAFE_INTEGER). */
function limit(config: TopicConfig, name: string): number {
  const v = config.number(name);
  return Number.isFinite(v) && v < LONG_MAX ? v : Number.POSITIVE_INFINITY;
}

/**
 * LogConfig's effective timestamp bounds: message.timestamp.before/after.max.ms, falling back to the deprecated
 * message.timestamp.difference.max.ms while they are left at their default.
 */
function timestampRules(config: TopicConfig, now: number): TimestampRules {
  const difference = limit(config, 'message.timestamp.difference.max.ms');
  const before = limit(config, 'message.timestamp.before.max.ms');
  const after = limit(config, 'message.timestamp.after.max.ms');
  return {
    logAppendTime: config.get('message.timestamp.type') === 'LogAppendTime',
    beforeMaxMs: before === Number.POSITIVE_INFINITY ? difference : before,
    afterMaxMs: after === Number.POSITIVE_INFINITY ? difference : after,
    now,
  };
}

/** LogValidator.validateBatch for a client append (magic 2): offsets, count, control flag and sequence. */
function batchShapeError(h: BatchHeader): ErrorCode {
  const countFromOffsets = h.lastOffsetDelta + 1;
  if (countFromOffsets <= 0 || h.recordCount <= 0 || countFromOffsets !== h.recordCount)
    return ErrorCode.INVALID_RECORD;
  if (h.attributes & BatchAttr.Control) return ErrorCode.INVALID_RECORD;
  if (h.producerId >= 0 && h.baseSequence < 0) return ErrorCode.INVALID_RECORD;
  return ErrorCode.NONE;
}

/**
 * Validates one client batch before the leader appends it, in the order of UnifiedLog.append:
 * analyzeAndValidateRecords (base offset 0, max.message.bytes, CRC), LogValidator (batch shape, then each record
 * of an uncompressed batch: structure and timestamps), then the segment size. Compressed batches are checked at
 * the batch level only: the broker does not decompress them.
 */
export function validateClientBatch(
  batch: Buffer,
  h: BatchHeader,
  config: TopicConfig,
  now: number,
): ErrorCode {
  if (h.baseOffset !== 0) return ErrorCode.INVALID_RECORD;
  if (batch.length > config.number('max.message.bytes')) return ErrorCode.MESSAGE_TOO_LARGE;
  if (!hasValidCrc(batch)) return ErrorCode.CORRUPT_MESSAGE;
  const shape = batchShapeError(h);
  if (shape !== ErrorCode.NONE) return shape;
  if ((h.attributes & BatchAttr.CompressionMask) === Compression.None) {
    const records = scanRecords(batch, h, timestampRules(config, now));
    if (records !== ErrorCode.NONE) return records;
  }
  if (batch.length > config.number('segment.bytes')) return ErrorCode.RECORD_LIST_TOO_LARGE;
  return ErrorCode.NONE;
}
