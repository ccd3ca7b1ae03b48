import {
  BatchAttr,
  ControlType,
  controlTypeOf,
  lastSequence,
  readBatchHeader,
} from '../protocol/record-batch';

/** One stored batch: the bytes as the client sent them (base offset stamped) plus what we index on. */
export interface LogEntry {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Sequence range of an idempotent batch (-1 when it has none, as control batches). */
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly transactional: boolean;
  readonly control: boolean;
  /** The marker a control batch carries, read once at append so replicas never parse it again. */
  readonly controlType: ControlType | null;
  readonly bytes: Buffer;
  readonly appendedAt: number;
}

/** Indexes a stamped batch. Entries are immutable and shared by every replica that stores the batch. */
export function toLogEntry(bytes: Buffer, appendedAt: number): LogEntry {
  const h = readBatchHeader(bytes);
  const control = (h.attributes & BatchAttr.Control) !== 0;
  return {
    baseOffset: h.baseOffset,
    lastOffset: h.baseOffset + h.lastOffsetDelta,
    maxTimestamp: h.maxTimestamp,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    firstSequence: h.baseSequence,
    lastSequence: lastSequence(h),
    transactional: (h.attributes & BatchAttr.Transactional) !== 0,
    control,
    controlType: control ? controlTypeOf(bytes) : null,
    bytes,
    appendedAt,
  };
}
