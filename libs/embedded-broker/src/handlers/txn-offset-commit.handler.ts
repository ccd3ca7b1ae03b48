import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  TxnOffsetCommitRequest,
  TxnOffsetCommitRequestSchema,
  TxnOffsetCommitResponse,
  TxnOffsetCommitResponseSchema,
} from '../protocol/messages/txn-offset-commit.schema';
import { defineApi } from '../server/api-definition';
import { RequestContext } from '../server/request-context';
import { TxnCommittedOffset } from '../cluster/txn-metadata';
import { coordinatorError, partitionExists } from './txn-request.util';

function answer(
  req: TxnOffsetCommitRequest,
  codeFor: (topic: string, partition: number) => ErrorCode,
): TxnOffsetCommitResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: codeFor(t.name, p.partitionIndex),
      })),
    })),
  };
}

/** Per-partition validation first; the valid offsets are stored as the transaction's pending offsets. */
function handle(ctx: RequestContext, req: TxnOffsetCommitRequest): TxnOffsetCommitResponse {
  const notCoordinator = coordinatorError(ctx, req.groupId);
  if (notCoordinator !== ErrorCode.NONE) return answer(req, () => notCoordinator);
  const invalid = new Map<string, ErrorCode>();
  const valid: TxnCommittedOffset[] = [];
  for (const t of req.topics) {
    for (const p of t.partitions) {
      const key = `${p.partitionIndex}:${t.name}`;
      if (!partitionExists(ctx, t.name, p.partitionIndex))
        invalid.set(key, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      else if ((p.committedMetadata?.length ?? 0) > ctx.coordinators.groups.settings.maxMetadataBytes)
        invalid.set(key, ErrorCode.OFFSET_METADATA_TOO_LARGE);
      else
        valid.push({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          metadata: p.committedMetadata,
        });
    }
  }
  const code = ctx.coordinators.txns.txnOffsetCommit(
    req.transactionalId,
    req.groupId,
    req.producerId,
    req.producerEpoch,
    valid,
  );
  return answer(req, (t, p) => invalid.get(`${p}:${t}`) ?? code);
}

/** Sent to the group coordinator (not the transaction coordinator), as kafkajs and the Java client do. */
export const txnOffsetCommitApi = defineApi<TxnOffsetCommitRequest, TxnOffsetCommitResponse>({
  apiKey: ApiKey.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 1,
  request: TxnOffsetCommitRequestSchema,
  response: TxnOffsetCommitResponseSchema,
  handle,
  errorResponse: (req, code) => answer(req, () => code),
});
