import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  ProducePartitionResponse,
  ProduceRequest,
  ProduceRequestSchema,
  ProduceResponse,
  ProduceResponseSchema,
} from '../protocol/messages/produce.schema';
import { defineApi } from '../server/api-definition';
import { RequestContext } from '../server/request-context';
import { appendRecords } from '../cluster/append';
import { leaderPartition } from './leader-partition.util';

const result = (
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
 * acks semantics as in Kafka: 0 and 1 answer after the leader's append; -1 first refuses when the ISR is smaller
 * than min.insync.replicas (nothing appended) and otherwise answers once every ISR replica has the batch.
 */
async function producePartition(
  ctx: RequestContext,
  req: ProduceRequest,
  topic: string,
  index: number,
  records: Buffer | null,
): Promise<ProducePartitionResponse> {
  const p = leaderPartition(ctx, topic, index);
  if (typeof p === 'number') return result(index, p);
  if (req.acks === -1 && p.isr.length < p.minInsyncReplicas)
    return result(index, ErrorCode.NOT_ENOUGH_REPLICAS);
  const appended = appendRecords(p, records, Date.now());
  if (appended.errorCode !== ErrorCode.NONE) return result(index, appended.errorCode);
  const code =
    req.acks === -1 ? await p.awaitReplication(appended.lastOffset, req.timeoutMs) : ErrorCode.NONE;
  return result(index, code, code === ErrorCode.NONE ? appended.baseOffset : -1, p.logStartOffset);
}

function produceError(req: ProduceRequest, code: ErrorCode): ProduceResponse {
  return {
    responses: req.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((pd) => result(pd.index, code)),
    })),
    throttleTimeMs: 0,
  };
}

export const produceApi = defineApi<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce,
  minVersion: 3,
  maxVersion: 7,
  request: ProduceRequestSchema,
  response: ProduceResponseSchema,
  handle: async (ctx, req) => {
    if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1) {
      return produceError(req, ErrorCode.INVALID_REQUIRED_ACKS);
    }
    // Every partition is appended synchronously here, before any await, so arrival order is append order.
    const pending = req.topicData.map((t) => ({
      name: t.name,
      parts: t.partitionData.map((pd) => producePartition(ctx, req, t.name, pd.index, pd.records)),
    }));
    const responses = [];
    for (const t of pending) responses.push({ name: t.name, partitionResponses: await Promise.all(t.parts) });
    return req.acks === 0 ? null : { responses, throttleTimeMs: 0 };
  },
  errorResponse: produceError,
});
