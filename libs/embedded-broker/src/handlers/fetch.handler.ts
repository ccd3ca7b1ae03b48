import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  FetchPartitionRequest,
  FetchPartitionResponse,
  FetchRequest,
  FetchRequestSchema,
  FetchResponse,
  FetchResponseSchema,
} from '../protocol/messages/fetch.schema';
import { defineApi } from '../server/api-definition';
import { RequestContext } from '../server/request-context';
import { leaderPartition } from './leader-partition.util';

const READ_COMMITTED = 1;

const emptyPartition = (partitionIndex: number, errorCode: ErrorCode): FetchPartitionResponse => ({
  partitionIndex,
  errorCode,
  highWatermark: -1,
  lastStableOffset: -1,
  logStartOffset: -1,
  abortedTransactions: null,
  preferredReadReplica: -1,
  records: null,
});

/** Reads one partition up to the HW (or the LSO in read_committed), whole stored batches only. */
function readPartition(
  ctx: RequestContext,
  topic: string,
  rq: FetchPartitionRequest,
  isolation: number,
  budget: number,
): FetchPartitionResponse {
  const p = leaderPartition(ctx, topic, rq.partition);
  if (typeof p === 'number') return emptyPartition(rq.partition, p);
  const log = p.leaderLog;
  if (!log) return emptyPartition(rq.partition, ErrorCode.LEADER_NOT_AVAILABLE);
  if (rq.fetchOffset < log.logStartOffset || rq.fetchOffset > log.logEndOffset) {
    return {
      ...emptyPartition(rq.partition, ErrorCode.OFFSET_OUT_OF_RANGE),
      highWatermark: p.highWatermark,
      logStartOffset: log.logStartOffset,
    };
  }
  const limit = isolation === READ_COMMITTED ? p.lastStableOffset : p.highWatermark;
  const records = budget > 0 ? log.read(rq.fetchOffset, limit, Math.min(rq.partitionMaxBytes, budget)) : [];
  return {
    partitionIndex: rq.partition,
    errorCode: ErrorCode.NONE,
    highWatermark: p.highWatermark,
    lastStableOffset: p.lastStableOffset,
    logStartOffset: log.logStartOffset,
    abortedTransactions: isolation === READ_COMMITTED ? p.txns.abortedBetween(rq.fetchOffset, limit) : null,
    preferredReadReplica: -1,
    records,
  };
}

function readAll(
  ctx: RequestContext,
  req: FetchRequest,
): { response: FetchResponse; bytes: number; errors: boolean } {
  let budget = req.maxBytes;
  let bytes = 0;
  let errors = false;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((rq) => {
      const r = readPartition(ctx, t.topic, rq, req.isolationLevel, budget);
      const size = (r.records ?? []).reduce((n, b) => n + b.length, 0);
      budget -= size;
      bytes += size;
      errors ||= r.errorCode !== ErrorCode.NONE;
      return r;
    }),
  }));
  return {
    response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses },
    bytes,
    errors,
  };
}

/** Long polling: answer as soon as minBytes are there, an error shows up, or maxWaitMs has passed. */
export const fetchApi = defineApi<FetchRequest, FetchResponse>({
  apiKey: ApiKey.Fetch,
  minVersion: 4,
  maxVersion: 11,
  request: FetchRequestSchema,
  response: FetchResponseSchema,
  handle: async (ctx, req) => {
    const deadline = Date.now() + Math.max(0, req.maxWaitMs);
    for (;;) {
      const r = readAll(ctx, req);
      const remaining = deadline - Date.now();
      if (r.bytes >= Math.max(1, req.minBytes) || r.errors || remaining <= 0 || ctx.cluster.stopped)
        return r.response;
      await ctx.cluster.waitForChange(remaining);
    }
  },
  errorResponse: (req, code) => ({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    sessionId: 0,
    responses: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => emptyPartition(p.partition, code)),
    })),
  }),
});
