import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  InitProducerIdRequest,
  InitProducerIdRequestSchema,
  InitProducerIdResponse,
  InitProducerIdResponseSchema,
} from '../protocol/messages/init-producer-id.schema';
import { defineApi } from '../server/api-definition';
import { coordinatorError } from './txn-request.util';

const errorResponse = (_req: InitProducerIdRequest, errorCode: ErrorCode): InitProducerIdResponse => ({
  throttleTimeMs: 0,
  errorCode,
  producerId: -1,
  producerEpoch: -1,
});

/** Idempotent producers ask any broker; transactional ones must ask their transaction coordinator. */
export const initProducerIdApi = defineApi<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 1,
  request: InitProducerIdRequestSchema,
  response: InitProducerIdResponseSchema,
  handle: (ctx, req) => {
    if (req.transactionalId !== null && req.transactionalId !== '') {
      const code = coordinatorError(ctx, req.transactionalId);
      if (code !== ErrorCode.NONE) return errorResponse(req, code);
    }
    const r = ctx.coordinators.txns.initProducerId(req.transactionalId, req.transactionTimeoutMs);
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      producerId: r.producerId,
      producerEpoch: r.producerEpoch,
    };
  },
  errorResponse,
});
