import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  OffsetCommitRequest,
  OffsetCommitRequestSchema,
  OffsetCommitResponse,
  OffsetCommitResponseSchema,
} from '../protocol/messages/offset-commit.schema';
import { defineApi } from '../server/api-definition';
import { coordinatorError } from './group-coordinator.util';

const failure = (req: OffsetCommitRequest, errorCode: ErrorCode): OffsetCommitResponse => ({
  throttleTimeMs: 0,
  topics: req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
  })),
});

/**
 * OffsetCommit v0-5. v0 carries no generation or member: like a v1+ commit with generation -1, it is accepted only
 * by an empty or unknown group. The v1 per-partition commit timestamp is not honoured: offsets take the broker's time.
 */
export const offsetCommitApi = defineApi<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: ApiKey.OffsetCommit,
  minVersion: 0,
  maxVersion: 5,
  request: OffsetCommitRequestSchema,
  response: OffsetCommitResponseSchema,
  handle: (ctx, req) => {
    const notServed = coordinatorError(ctx, req.groupId);
    if (notServed !== ErrorCode.NONE) return failure(req, notServed);
    const result = ctx.coordinators.groups.commit({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      retentionTimeMs: req.retentionTimeMs,
      offsets: req.topics.flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          metadata: p.committedMetadata,
        })),
      ),
    });
    let i = 0;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: result.partitionErrors[i++].errorCode,
        })),
      })),
    };
  },
  errorResponse: failure,
});
