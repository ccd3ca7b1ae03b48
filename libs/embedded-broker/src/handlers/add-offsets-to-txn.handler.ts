import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnRequestSchema,
  AddOffsetsToTxnResponse,
  AddOffsetsToTxnResponseSchema,
} from '../protocol/messages/add-offsets-to-txn.schema';
import { defineApi } from '../server/api-definition';
import { coordinatorError } from './txn-request.util';

/** Sent to the transaction coordinator; the offsets themselves follow in TxnOffsetCommit to the group's coordinator. */
export const addOffsetsToTxnApi = defineApi<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  apiKey: ApiKey.AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 1,
  request: AddOffsetsToTxnRequestSchema,
  response: AddOffsetsToTxnResponseSchema,
  handle: (ctx, req) => {
    const notCoordinator = coordinatorError(ctx, req.transactionalId);
    const errorCode =
      notCoordinator !== ErrorCode.NONE
        ? notCoordinator
        : ctx.coordinators.txns.addOffsets(
            req.transactionalId,
            req.producerId,
            req.producerEpoch,
            req.groupId,
          );
    return { throttleTimeMs: 0, errorCode };
  },
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode }),
});
