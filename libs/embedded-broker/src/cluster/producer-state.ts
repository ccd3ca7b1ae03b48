import { BatchHeader } from '../protocol/record-batch';
import { ErrorCode } from '../protocol/error-codes';

/** Kafka keeps the last five batches per producer to recognise retried duplicates. */
const CACHED_BATCHES = 5;

interface CachedBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  lastSeq: number;
  batches: CachedBatch[];
}

export type SequenceCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: number }
  | { readonly kind: 'error'; readonly code: ErrorCode };

/** Per-partition idempotent-producer state: epochs and sequence numbers (KIP-98). */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  check(h: BatchHeader): SequenceCheck {
    if (h.producerId < 0 || h.baseSequence < 0) return { kind: 'append' };
    const entry = this.producers.get(h.producerId);
    const lastSeq = h.baseSequence + h.lastOffsetDelta;
    if (!entry || h.producerEpoch > (entry?.epoch ?? -1)) {
      return h.baseSequence === 0
        ? { kind: 'append' }
        : { kind: 'error', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    if (h.producerEpoch < entry.epoch) return { kind: 'error', code: ErrorCode.INVALID_PRODUCER_EPOCH };
    const dup = entry.batches.find((b) => b.firstSeq === h.baseSequence && b.lastSeq === lastSeq);
    if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset };
    if (h.baseSequence !== nextSequence(entry.lastSeq))
      return { kind: 'error', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    return { kind: 'append' };
  }

  record(h: BatchHeader, baseOffset: number): void {
    if (h.producerId < 0 || h.baseSequence < 0) return;
    let entry = this.producers.get(h.producerId);
    if (!entry || entry.epoch !== h.producerEpoch) {
      entry = { epoch: h.producerEpoch, lastSeq: -1, batches: [] };
      this.producers.set(h.producerId, entry);
    }
    const lastSeq = h.baseSequence + h.lastOffsetDelta;
    entry.lastSeq = lastSeq;
    entry.batches.push({ firstSeq: h.baseSequence, lastSeq, baseOffset });
    if (entry.batches.length > CACHED_BATCHES) entry.batches.shift();
  }

  /** A new epoch from InitProducerId (or a transaction marker) fences the old one. */
  bumpEpoch(producerId: number, epoch: number): void {
    this.producers.set(producerId, { epoch, lastSeq: -1, batches: [] });
  }

  /**
   * A transaction marker written with `epoch`: a higher epoch than the partition knows fences the older one
   * (its batches now get INVALID_PRODUCER_EPOCH); the same epoch keeps the sequence going, as the producer does.
   */
  fence(producerId: number, epoch: number): void {
    const entry = this.producers.get(producerId);
    if (!entry || entry.epoch < epoch) this.bumpEpoch(producerId, epoch);
  }

  /** The epoch this partition last saw from the producer, if any (for tests and diagnostics). */
  epochOf(producerId: number): number | undefined {
    return this.producers.get(producerId)?.epoch;
  }
}

/** Sequence numbers are int32 and wrap to 0 after the maximum, as producers do. */
function nextSequence(lastSeq: number): number {
  return lastSeq === 0x7fffffff ? 0 : lastSeq + 1;
}
