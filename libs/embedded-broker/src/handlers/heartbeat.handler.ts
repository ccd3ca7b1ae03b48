import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  HeartbeatRequest,
  HeartbeatRequestSchema,
  HeartbeatResponse,
  HeartbeatResponseSchema,
} from '../protocol/messages/heartbeat.schema';
import { defineApi } from '../server/api-definition';
import { memberApiError } from './group-coordinator.util';

/** Heartbeat: keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin. */
export const heartbeatApi = defineApi<HeartbeatRequest, HeartbeatResponse>({
  apiKey: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 3,
  request: HeartbeatRequestSchema,
  response: HeartbeatResponseSchema,
  handle: (ctx, req) => {
    const invalid = memberApiError(ctx, req.groupId);
    if (invalid !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: invalid };
    return {
      throttleTimeMs: 0,
      errorCode: ctx.coordinators.groups.heartbeat(
        req.groupId,
        req.memberId,
        req.generationId,
        req.groupInstanceId,
      ),
    };
  },
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode }),
});
