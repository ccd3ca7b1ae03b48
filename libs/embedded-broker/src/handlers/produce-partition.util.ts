import { ErrorCode } from '../protocol/error-codes';
import { BatchAttr } from '../protocol/record-batch';
import { ProducePartitionResponse, ProduceRequest } from '../protocol/messages/produce.schema';
import { RequestContext } from '../server/request-context';
import { appendBatch } from '../cluster/append';
import { Partition } from '../cluster/partition';
import { verifyTxnPartition } from '../cluster/txn-verification';
import { leaderPartition } from './leader-partition.util';
import { ProduceRecords } from './produce-records.util';

export const partitionResult = (
  index: number,
  errorCode: ErrorCode,
  baseOffset = -1,
  logStartOffset = -1,
): ProducePartitionResponse => ({
  index,
  errorCode,
  baseOffset,
  logAppendTimeMs: -1,
  logStartOffset,
});

/**
 * KIP-890 verification of a transactional batch, needed only while the leader's own producer state has no
 * transaction open for the producer (ReplicaManager.maybeStartTransactionVerificationForPartition).
 */
function verifyTransaction(
  ctx: RequestContext,
  req: ProduceRequest,
  p: Partition,
  records: ProduceRecords,
): ErrorCode {
  if (!records.ok || req.transactionalId === null) return ErrorCode.NONE;
  const h = records.header;
  if ((h.attributes & BatchAttr.Transactional) === 0 || h.producerId < 0) return ErrorCode.NONE;
  if (p.leaderLog?.producers.hasOngoingTransaction(h.producerId)) return ErrorCode.NONE;
  const txn = ctx.coordinators.txns.describe(req.transactionalId);
  return verifyTxnPartition(txn, h.producerId, h.producerEpoch, p.topic, p.index);
}

/**
 * One partition of a produce request, checked in Kafka's order: the partition exists, its records are one valid
 * batch (ProduceRequest.validateRecords), a transactional batch belongs to the transaction (KIP-890), this broker
 * leads it, acks=-1 finds min.insync.replicas in sync (Partition.appendRecordsToLeader), then the append. acks=-1
 * answers once the batch is committed, or with the error Kafka gives when it no longer can be.
 * Everything up to the append happens synchronously, so requests are applied in arrival order.
 */
export async function producePartition(
  ctx: RequestContext,
  req: ProduceRequest,
  topic: string,
  index: number,
  records: ProduceRecords,
): Promise<ProducePartitionResponse> {
  if (!ctx.cluster.partition(topic, index))
    return partitionResult(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!records.ok) return partitionResult(index, records.errorCode);
  const p = leaderPartition(ctx, topic, index);
  if (typeof p === 'number') return partitionResult(index, p);
  const unverified = verifyTransaction(ctx, req, p, records);
  if (unverified !== ErrorCode.NONE) return partitionResult(index, unverified);
  if (req.acks === -1 && p.isr.length < p.minInsyncReplicas)
    return partitionResult(index, ErrorCode.NOT_ENOUGH_REPLICAS);
  const appended = appendBatch(p, records.batch, Date.now());
  if (appended.errorCode !== ErrorCode.NONE) return partitionResult(index, appended.errorCode);
  const code =
    req.acks === -1 ? await p.awaitReplication(appended.lastOffset, req.timeoutMs) : ErrorCode.NONE;
  const baseOffset = code === ErrorCode.NONE ? appended.baseOffset : -1;
  return partitionResult(index, code, baseOffset, p.logStartOffset);
}
