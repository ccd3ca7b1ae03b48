import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  EndTxnRequest,
  EndTxnRequestSchema,
  EndTxnResponse,
  EndTxnResponseSchema,
} from '../protocol/messages/end-txn.schema';
import { defineApi } from '../server/api-definition';
import { coordinatorError } from './txn-request.util';

/** Commit or abort: the coordinator writes the markers before answering, so the outcome is visible at once. */
export const endTxnApi = defineApi<EndTxnRequest, EndTxnResponse>({
  apiKey: ApiKey.EndTxn,
  minVersion: 0,
  maxVersion: 1,
  request: EndTxnRequestSchema,
  response: EndTxnResponseSchema,
  handle: (ctx, req) => {
    const notCoordinator = coordinatorError(ctx, req.transactionalId);
    const errorCode =
      notCoordinator !== ErrorCode.NONE
        ? notCoordinator
        : ctx.coordinators.txns.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed);
    return { throttleTimeMs: 0, errorCode };
  },
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode }),
});
