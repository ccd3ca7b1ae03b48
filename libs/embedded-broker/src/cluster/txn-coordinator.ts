import { ErrorCode } from '../protocol/error-codes';
import { Cluster } from './cluster';
import { GroupCoordinator } from './group-coordinator';
import { ProducerIdAllocator } from './producer-id-allocator';
import { TxnCompletion } from './txn-completion';
import {
  MAX_PRODUCER_EPOCH,
  TopicPartitionRef,
  TxnCommittedOffset,
  TxnMetadata,
  TxnState,
} from './txn-metadata';

/** Result of InitProducerId; producerId/epoch are -1 on error, as Kafka answers. */
export interface ProducerIdAndEpoch {
  readonly errorCode: ErrorCode;
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** A read-only view of one transactional id, for tests and diagnostics. */
export interface TxnDescription {
  readonly state: TxnState;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly partitions: TopicPartitionRef[];
  readonly groups: string[];
}

/** Kafka's transaction.max.timeout.ms default: longer InitProducerId timeouts are refused. */
export const MAX_TRANSACTION_TIMEOUT_MS = 900_000;

const failure = (errorCode: ErrorCode): ProducerIdAndEpoch => ({
  errorCode,
  producerId: -1,
  producerEpoch: -1,
});

/**
 * The transaction coordinator (KIP-98), cluster-wide like the internal __transaction_state topic it stands for.
 * Handlers check that the receiving broker coordinates the transactional id; this class owns the state machine:
 * Empty -> Ongoing (partitions/offsets added) -> Prepare{Commit,Abort} -> Complete{Commit,Abort} -> Ongoing ...
 * Markers are written synchronously, so Prepare* only lasts while a partition has no leader.
 * Errors use the codes of the v0-1 APIs we serve: a fenced producer gets INVALID_PRODUCER_EPOCH (PRODUCER_FENCED
 * exists only from v2 on).
 */
export class TransactionCoordinator {
  private readonly producerIds = new ProducerIdAllocator();
  private readonly txns = new Map<string, TxnMetadata>();
  private readonly completion: TxnCompletion;

  constructor(
    readonly cluster: Cluster,
    readonly groups: GroupCoordinator,
  ) {
    this.completion = new TxnCompletion(cluster, groups);
  }

  /**
   * No transactional id: a fresh producer id at epoch 0 (idempotence only). With one: the same producer id at a
   * bumped epoch, fencing older instances; a transaction the old epoch left open is aborted first.
   */
  initProducerId(transactionalId: string | null, timeoutMs: number): ProducerIdAndEpoch {
    if (transactionalId === null)
      return { errorCode: ErrorCode.NONE, producerId: this.producerIds.allocate(), producerEpoch: 0 };
    if (transactionalId === '') return failure(ErrorCode.INVALID_REQUEST);
    if (timeoutMs <= 0 || timeoutMs > MAX_TRANSACTION_TIMEOUT_MS)
      return failure(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    let meta = this.txns.get(transactionalId);
    if (!meta) {
      meta = new TxnMetadata(transactionalId, this.producerIds.allocate(), 0, timeoutMs);
      this.txns.set(transactionalId, meta);
    } else {
      if (meta.completing) return failure(ErrorCode.CONCURRENT_TRANSACTIONS);
      if (meta.state === 'Ongoing') {
        this.fenceAndAbort(meta);
        if (meta.completing) return failure(ErrorCode.CONCURRENT_TRANSACTIONS);
        if (meta.producerEpoch > MAX_PRODUCER_EPOCH) this.newProducerId(meta);
      } else {
        this.bumpEpoch(meta);
      }
      meta.timeoutMs = timeoutMs;
      meta.state = 'Empty';
    }
    return { errorCode: ErrorCode.NONE, producerId: meta.producerId, producerEpoch: meta.producerEpoch };
  }

  /** Adds partitions to the transaction (starting it); each will get a marker at its end. */
  addPartitions(
    transactionalId: string,
    producerId: number,
    epoch: number,
    partitions: readonly TopicPartitionRef[],
  ): ErrorCode {
    const meta = this.current(transactionalId, producerId, epoch);
    if (typeof meta === 'number') return meta;
    for (const p of partitions) meta.addPartition(p.topic, p.partition);
    this.begin(meta);
    return ErrorCode.NONE;
  }

  /** Adds a consumer group to the transaction: its TxnOffsetCommits take effect only if the transaction commits. */
  addOffsets(transactionalId: string, producerId: number, epoch: number, groupId: string): ErrorCode {
    const meta = this.current(transactionalId, producerId, epoch);
    if (typeof meta === 'number') return meta;
    meta.groups.add(groupId);
    this.begin(meta);
    return ErrorCode.NONE;
  }

  /** Stores offsets as pending until EndTxn (sent to the group's coordinator; checked by the handler). */
  txnOffsetCommit(
    transactionalId: string,
    groupId: string,
    producerId: number,
    epoch: number,
    offsets: readonly TxnCommittedOffset[],
  ): ErrorCode {
    const meta = this.current(transactionalId, producerId, epoch);
    if (typeof meta === 'number') return meta;
    if (meta.state !== 'Ongoing' || !meta.groups.has(groupId)) return ErrorCode.INVALID_TXN_STATE;
    for (const o of offsets) meta.addPendingOffset(groupId, o);
    return ErrorCode.NONE;
  }

  /** Commits or aborts. A retry of an EndTxn that already completed the same way succeeds again, as in Kafka. */
  endTxn(transactionalId: string, producerId: number, epoch: number, committed: boolean): ErrorCode {
    const meta = this.txns.get(transactionalId);
    if (!meta || meta.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (meta.producerEpoch !== epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    const same = (commitState: TxnState, abortState: TxnState): boolean =>
      meta.state === (committed ? commitState : abortState);
    if (meta.state === 'Ongoing') {
      this.completion.finish(meta, committed);
      return ErrorCode.NONE;
    }
    if (same('CompleteCommit', 'CompleteAbort')) return ErrorCode.NONE;
    if (same('PrepareCommit', 'PrepareAbort')) return ErrorCode.CONCURRENT_TRANSACTIONS;
    return ErrorCode.INVALID_TXN_STATE;
  }

  describe(transactionalId: string): TxnDescription | undefined {
    const m = this.txns.get(transactionalId);
    if (!m) return undefined;
    const partitions = [...m.partitions.values()];
    return {
      state: m.state,
      producerId: m.producerId,
      producerEpoch: m.producerEpoch,
      partitions,
      groups: [...m.groups],
    };
  }

  stop(): void {
    for (const m of this.txns.values()) m.clearTimer();
    this.completion.stop();
  }

  /** The transaction of an exact producer id and epoch, unless it is fenced, unknown or still completing. */
  private current(transactionalId: string, producerId: number, epoch: number): TxnMetadata | ErrorCode {
    const meta = this.txns.get(transactionalId);
    if (!meta || meta.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (meta.producerEpoch !== epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (meta.completing) return ErrorCode.CONCURRENT_TRANSACTIONS;
    return meta;
  }

  /** Enters Ongoing and arms the transaction timeout, after which the coordinator aborts and fences. */
  private begin(meta: TxnMetadata): void {
    if (meta.state === 'Ongoing') return;
    meta.state = 'Ongoing';
    const epoch = meta.producerEpoch;
    meta.timeoutTimer = setTimeout(() => {
      meta.timeoutTimer = null;
      if (meta.state === 'Ongoing' && meta.producerEpoch === epoch) this.fenceAndAbort(meta);
    }, meta.timeoutMs);
    meta.timeoutTimer.unref();
  }

  /** Kafka aborts with a bumped epoch so the old producer can no longer write or commit anything. */
  private fenceAndAbort(meta: TxnMetadata): void {
    meta.producerEpoch++;
    this.completion.finish(meta, false);
  }

  private bumpEpoch(meta: TxnMetadata): void {
    if (meta.producerEpoch >= MAX_PRODUCER_EPOCH) this.newProducerId(meta);
    else meta.producerEpoch++;
  }

  private newProducerId(meta: TxnMetadata): void {
    meta.producerId = this.producerIds.allocate();
    meta.producerEpoch = 0;
  }
}
