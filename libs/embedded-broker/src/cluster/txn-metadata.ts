import { OffsetToCommit } from './group-types';

/**
 * Transaction states as in Kafka's TransactionMetadata. Prepare* lasts while control markers are still to be
 * written (a partition without a leader); requests for the transactional id then get CONCURRENT_TRANSACTIONS.
 */
export type TxnState =
  'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort';

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

/** An offset a transaction will commit for a consumer group when (and only when) it commits. */
export type TxnCommittedOffset = OffsetToCommit;

/** Kafka fences a producer id whose epoch would reach Short.MAX_VALUE and hands out a fresh id instead. */
export const MAX_PRODUCER_EPOCH = 32766;

const tpKey = (topic: string, partition: number): string => `${partition}:${topic}`;

/** What the coordinator knows about one transactional id. */
export class TxnMetadata {
  state: TxnState = 'Empty';
  /** Partitions written in the current transaction: each gets a control marker on EndTxn. */
  readonly partitions = new Map<string, TopicPartitionRef>();
  /** Groups added with AddOffsetsToTxn in the current transaction. */
  readonly groups = new Set<string>();
  /** Offsets from TxnOffsetCommit, per group, applied to the group only on commit. */
  readonly pendingOffsets = new Map<string, Map<string, TxnCommittedOffset>>();
  /** Markers not yet written (no leader, or to be written again); retried until they are committed. */
  pendingMarkers: TopicPartitionRef[] = [];
  /** Markers written and waiting for their partition's high watermark. */
  markersInFlight = 0;
  timeoutTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly transactionalId: string,
    public producerId: number,
    public producerEpoch: number,
    public timeoutMs: number,
  ) {}

  get completing(): boolean {
    return this.state === 'PrepareCommit' || this.state === 'PrepareAbort';
  }

  addPartition(topic: string, partition: number): void {
    this.partitions.set(tpKey(topic, partition), { topic, partition });
  }

  addPendingOffset(groupId: string, o: TxnCommittedOffset): void {
    let byPartition = this.pendingOffsets.get(groupId);
    if (!byPartition) {
      byPartition = new Map();
      this.pendingOffsets.set(groupId, byPartition);
    }
    byPartition.set(tpKey(o.topic, o.partition), o);
  }

  /** Forgets the current transaction's contents (after its outcome was decided). */
  clearTransaction(): void {
    this.partitions.clear();
    this.groups.clear();
    this.pendingOffsets.clear();
    this.clearTimer();
  }

  clearTimer(): void {
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.timeoutTimer = null;
  }
}
