import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnRequestSchema,
  AddPartitionsToTxnResponse,
  AddPartitionsToTxnResponseSchema,
} from '../protocol/messages/add-partitions-to-txn.schema';
import { defineApi } from '../server/api-definition';
import { RequestContext } from '../server/request-context';
import { coordinatorError, partitionExists } from './txn-request.util';

/** Every partition gets `codeFor(topic, partition)`. */
function answer(
  req: AddPartitionsToTxnRequest,
  codeFor: (topic: string, partition: number) => ErrorCode,
): AddPartitionsToTxnResponse {
  return {
    throttleTimeMs: 0,
    results: req.topics.map((t) => ({
      name: t.name,
      results: t.partitions.map((p) => ({ partitionIndex: p, errorCode: codeFor(t.name, p) })),
    })),
  };
}

function handle(ctx: RequestContext, req: AddPartitionsToTxnRequest): AddPartitionsToTxnResponse {
  const notCoordinator = coordinatorError(ctx, req.transactionalId);
  if (notCoordinator !== ErrorCode.NONE) return answer(req, () => notCoordinator);
  // As Kafka: unknown partitions fail the whole request, the valid ones are reported as not attempted.
  const unknown = req.topics.some((t) => t.partitions.some((p) => !partitionExists(ctx, t.name, p)));
  if (unknown) {
    return answer(req, (t, p) =>
      partitionExists(ctx, t, p) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
  }
  const partitions = req.topics.flatMap((t) =>
    t.partitions.map((partition) => ({ topic: t.name, partition })),
  );
  const code = ctx.coordinators.txns.addPartitions(
    req.transactionalId,
    req.producerId,
    req.producerEpoch,
    partitions,
  );
  return answer(req, () => code);
}

export const addPartitionsToTxnApi = defineApi<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  apiKey: ApiKey.AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 1,
  request: AddPartitionsToTxnRequestSchema,
  response: AddPartitionsToTxnResponseSchema,
  handle,
  errorResponse: (req, code) => answer(req, () => code),
});
