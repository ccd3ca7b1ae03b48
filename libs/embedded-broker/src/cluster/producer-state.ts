import { BatchAttr, BatchHeader, lastSequence } from '../protocol/record-batch';
import { ErrorCode } from '../protocol/error-codes';
import type { LogEntry } from './log-entry';

/** Kafka keeps the last five batches per producer to recognise retried duplicates (NUM_BATCHES_TO_RETAIN). */
const CACHED_BATCHES = 5;
/** RecordBatch.NO_PRODUCER_EPOCH: the producer is unknown to this replica (never seen, or its state expired). */
const NO_EPOCH = -1;

interface CachedBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/** Kafka's ProducerStateEntry: epoch, recent batches, and the first offset of the open transaction. */
interface ProducerEntry {
  epoch: number;
  batches: CachedBatch[];
  lastTimestamp: number;
  txnFirstOffset: number | null;
}

export type SequenceCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: number; readonly lastOffset: number }
  | { readonly kind: 'error'; readonly code: ErrorCode };

const refuse = (code: ErrorCode): SequenceCheck => ({ kind: 'error', code });

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === 0x7fffffff);
}

/**
 * The idempotent and transactional producer state of ONE replica's log (Kafka's ProducerStateManager). It is
 * only ever derived from the batches that replica stores, by `apply`: a follower learns it from what it
 * replicates, and a truncated replica rebuilds it from what is left. `check` is the leader's validation of a
 * client batch against it (ProducerAppendInfo, origin CLIENT).
 */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  check(h: BatchHeader): SequenceCheck {
    if (h.producerId < 0) return { kind: 'append' };
    const entry = this.producers.get(h.producerId);
    const lastSeq = lastSequence(h);
    if (entry && entry.epoch === h.producerEpoch) {
      const dup = entry.batches.find((b) => b.firstSeq === h.baseSequence && b.lastSeq === lastSeq);
      if (dup) return { kind: 'duplicate', baseOffset: dup.firstOffset, lastOffset: dup.lastOffset };
    }
    const epoch = entry?.epoch ?? NO_EPOCH;
    if (h.producerEpoch < epoch) return refuse(ErrorCode.INVALID_PRODUCER_EPOCH);
    if (h.producerEpoch !== epoch) {
      // A new epoch starts at sequence 0; a producer this replica does not know may start anywhere.
      if (h.baseSequence !== 0 && epoch !== NO_EPOCH) return refuse(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    } else {
      const currentLastSeq = entry?.batches.at(-1)?.lastSeq ?? -1;
      if (!inSequence(currentLastSeq, h.baseSequence)) return refuse(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }
    const transactional = (h.attributes & BatchAttr.Transactional) !== 0;
    if (entry?.txnFirstOffset != null && !transactional) return refuse(ErrorCode.INVALID_TXN_STATE);
    return { kind: 'append' };
  }

  /** Takes a stored batch into account, whoever wrote it (leader append, replication, coordinator marker). */
  apply(e: LogEntry): void {
    if (e.producerId < 0) return;
    let entry = this.producers.get(e.producerId);
    if (!entry) {
      entry = { epoch: NO_EPOCH, batches: [], lastTimestamp: -1, txnFirstOffset: null };
      this.producers.set(e.producerId, entry);
    }
    // ProducerStateEntry.maybeUpdateProducerEpoch: another epoch forgets the cached batches.
    if (entry.epoch !== e.producerEpoch) {
      entry.epoch = e.producerEpoch;
      entry.batches = [];
    }
    entry.lastTimestamp = e.maxTimestamp;
    if (e.control) {
      entry.txnFirstOffset = null;
      return;
    }
    entry.batches.push({
      firstSeq: e.firstSequence,
      lastSeq: e.lastSequence,
      firstOffset: e.baseOffset,
      lastOffset: e.lastOffset,
    });
    if (entry.batches.length > CACHED_BATCHES) entry.batches.shift();
    if (e.transactional && entry.txnFirstOffset === null) entry.txnFirstOffset = e.baseOffset;
  }

  /** Whether the producer has a transaction open on this replica (UnifiedLog.hasOngoingTransaction). */
  hasOngoingTransaction(producerId: number): boolean {
    return (this.producers.get(producerId)?.txnFirstOffset ?? null) !== null;
  }

  /**
   * Forgets producers idle for `expirationMs` by their last batch timestamp, unless a transaction is open
   * (ProducerStateManager.removeExpiredProducers, producer.id.expiration.ms).
   */
  expire(now: number, expirationMs: number): void {
    for (const [id, e] of this.producers) {
      if (e.txnFirstOffset === null && now - e.lastTimestamp >= expirationMs) this.producers.delete(id);
    }
  }

  /** The epoch this replica last saw from the producer, if any (for tests and diagnostics). */
  epochOf(producerId: number): number | undefined {
    return this.producers.get(producerId)?.epoch;
  }

  clone(): ProducerStateTable {
    const copy = new ProducerStateTable();
    for (const [id, e] of this.producers) copy.producers.set(id, { ...e, batches: e.batches.slice() });
    return copy;
  }
}
