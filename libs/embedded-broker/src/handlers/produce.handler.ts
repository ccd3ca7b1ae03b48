import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { BatchAttr } from '../protocol/record-batch';
import {
  ProduceRequest,
  ProduceRequestSchema,
  ProduceResponse,
  ProduceResponseSchema,
} from '../protocol/messages/produce.schema';
import { CLOSE_CONNECTION, defineApi, HandlerResult } from '../server/api-definition';
import { RequestContext } from '../server/request-context';
import { partitionResult, producePartition } from './produce-partition.util';
import { hasTransactionalRecords, ProduceRecords, validateProduceRecords } from './produce-records.util';

function produceError(req: ProduceRequest, code: ErrorCode): ProduceResponse {
  return {
    responses: req.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((pd) => partitionResult(pd.index, code)),
    })),
    throttleTimeMs: 0,
  };
}

/** ReplicaManager.handleProduceAppend: all transactional batches of one request come from one producer. */
function transactionalProducers(checked: ProduceRecords[]): number {
  const producers = new Set<string>();
  for (const c of checked) {
    if (c.ok && c.header.attributes & BatchAttr.Transactional && c.header.producerId >= 0)
      producers.add(`${c.header.producerId}:${c.header.producerEpoch}`);
  }
  return producers.size;
}

/** Request-level checks of KafkaApis.handleProduceRequest, then every partition, in request order. */
async function handle(ctx: RequestContext, req: ProduceRequest): Promise<HandlerResult<ProduceResponse>> {
  if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1) {
    return produceError(req, ErrorCode.INVALID_REQUIRED_ACKS);
  }
  const records = req.topicData.flatMap((t) => t.partitionData.map((pd) => pd.records));
  // Transactional records need a transactional id, which the broker authorizes (always denied without one).
  if (req.transactionalId === null && hasTransactionalRecords(records)) {
    return produceError(req, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  }
  const checked = req.topicData.map((t) =>
    t.partitionData.map((pd) => validateProduceRecords(ctx.apiVersion, pd.records)),
  );
  if (transactionalProducers(checked.flat()) > 1) {
    return produceError(req, ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  }
  // Every partition is appended synchronously here, before any await, so arrival order is append order.
  const pending = req.topicData.map((t, ti) => ({
    name: t.name,
    parts: t.partitionData.map((pd, pi) => producePartition(ctx, req, t.name, pd.index, checked[ti][pi])),
  }));
  const responses = [];
  for (const t of pending) responses.push({ name: t.name, partitionResponses: await Promise.all(t.parts) });
  if (req.acks !== 0) return { responses, throttleTimeMs: 0 };
  // acks=0 has no response; an error closes the connection so that the client refreshes its metadata.
  const failed = responses.some((t) => t.partitionResponses.some((p) => p.errorCode !== ErrorCode.NONE));
  return failed ? CLOSE_CONNECTION : null;
}

export const produceApi = defineApi<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce,
  minVersion: 3,
  maxVersion: 7,
  request: ProduceRequestSchema,
  response: ProduceResponseSchema,
  handle,
  errorResponse: produceError,
});
