import { ErrorCode } from '../protocol/error-codes';
import type { TxnDescription } from './txn-coordinator';

/**
 * KIP-890 part 1 (Kafka 3.6+, transaction.partition.verification.enable=true): before a partition leader writes
 * the first transactional batch of a producer's transaction, it asks the transaction coordinator whether the
 * partition was added (TransactionCoordinator.handleVerifyPartitionsInTransaction). The coordinator's answers are
 * translated as ReplicaManager and AddPartitionsToTxnManager do for Produce v0-10 clients: PRODUCER_FENCED becomes
 * INVALID_PRODUCER_EPOCH, TRANSACTION_ABORTABLE (not added) INVALID_TXN_STATE, CONCURRENT_TRANSACTIONS the
 * retriable NOT_ENOUGH_REPLICAS.
 */
export function verifyTxnPartition(
  txn: TxnDescription | undefined,
  producerId: number,
  producerEpoch: number,
  topic: string,
  partition: number,
): ErrorCode {
  if (!txn || txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  if (txn.producerEpoch !== producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
  if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return ErrorCode.NOT_ENOUGH_REPLICAS;
  const added = txn.partitions.some((p) => p.topic === topic && p.partition === partition);
  return added ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
}
