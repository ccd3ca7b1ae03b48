import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  OffsetFetchRequest,
  OffsetFetchRequestSchema,
  OffsetFetchResponse,
  OffsetFetchResponseSchema,
} from '../protocol/messages/offset-fetch.schema';
import { defineApi } from '../server/api-definition';
import { coordinatorError } from './group-coordinator.util';

/** v2+ report a group-level error at the top; v1 has no such field, so every requested partition carries it. */
const failure = (req: OffsetFetchRequest, errorCode: ErrorCode): OffsetFetchResponse => ({
  throttleTimeMs: 0,
  topics: (req.topics ?? []).map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({
      partitionIndex,
      committedOffset: -1,
      metadata: '',
      errorCode,
    })),
  })),
  errorCode,
});

/** OffsetFetch v1-4: committed offset and metadata per partition, -1 where none; null topics (v2+) means all. */
export const offsetFetchApi = defineApi<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: ApiKey.OffsetFetch,
  minVersion: 1,
  maxVersion: 4,
  request: OffsetFetchRequestSchema,
  response: OffsetFetchResponseSchema,
  handle: (ctx, req) => {
    const notServed = coordinatorError(ctx, req.groupId);
    if (notServed !== ErrorCode.NONE) return failure(req, notServed);
    const wanted = req.topics?.map((t) => ({ topic: t.name, partitions: t.partitionIndexes })) ?? null;
    const topics = ctx.coordinators.groups.fetchOffsets(req.groupId, wanted);
    return {
      throttleTimeMs: 0,
      topics: topics.map((t) => ({
        name: t.topic,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partition,
          committedOffset: p.offset,
          metadata: p.metadata,
          errorCode: ErrorCode.NONE,
        })),
      })),
      errorCode: ErrorCode.NONE,
    };
  },
  errorResponse: failure,
});
