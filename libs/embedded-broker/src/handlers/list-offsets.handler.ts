import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  ListOffsetsPartitionResponse,
  ListOffsetsRequest,
  ListOffsetsRequestSchema,
  ListOffsetsResponse,
  ListOffsetsResponseSchema,
} from '../protocol/messages/list-offsets.schema';
import { defineApi } from '../server/api-definition';
import { RequestContext } from '../server/request-context';
import { leaderPartition } from './leader-partition.util';

const LATEST = -1;
const EARLIEST = -2;

function lookup(
  ctx: RequestContext,
  topic: string,
  index: number,
  timestamp: number,
  isolation: number,
): ListOffsetsPartitionResponse {
  const p = leaderPartition(ctx, topic, index);
  if (typeof p === 'number') return { partitionIndex: index, errorCode: p, timestamp: -1, offset: -1 };
  const limit = isolation === 1 ? p.lastStableOffset : p.highWatermark;
  const ok = (offset: number, ts = -1): ListOffsetsPartitionResponse => ({
    partitionIndex: index,
    errorCode: ErrorCode.NONE,
    timestamp: ts,
    offset,
  });
  if (timestamp === LATEST) return ok(limit);
  if (timestamp === EARLIEST) return ok(p.logStartOffset);
  const found = p.leaderLog?.offsetForTimestamp(timestamp, limit);
  return found ? ok(found.offset, found.timestamp) : ok(-1);
}

export const listOffsetsApi = defineApi<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: ApiKey.ListOffsets,
  minVersion: 1,
  maxVersion: 3,
  request: ListOffsetsRequestSchema,
  response: ListOffsetsResponseSchema,
  handle: (ctx, req) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) =>
        lookup(ctx, t.name, p.partitionIndex, p.timestamp, req.isolationLevel),
      ),
    })),
  }),
  errorResponse: (req, code) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: code,
        timestamp: -1,
        offset: -1,
      })),
    })),
  }),
});
