import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  SyncGroupRequest,
  SyncGroupRequestSchema,
  SyncGroupResponse,
  SyncGroupResponseSchema,
} from '../protocol/messages/sync-group.schema';
import { defineApi } from '../server/api-definition';
import { memberApiError } from './group-coordinator.util';

const failure = (_req: SyncGroupRequest, errorCode: ErrorCode): SyncGroupResponse => ({
  throttleTimeMs: 0,
  errorCode,
  assignment: Buffer.alloc(0),
});

/** SyncGroup: the leader hands in the assignment; every member gets its own part of it. */
export const syncGroupApi = defineApi<SyncGroupRequest, SyncGroupResponse>({
  apiKey: ApiKey.SyncGroup,
  minVersion: 0,
  maxVersion: 3,
  request: SyncGroupRequestSchema,
  response: SyncGroupResponseSchema,
  handle: async (ctx, req) => {
    const invalid = memberApiError(ctx, req.groupId);
    if (invalid !== ErrorCode.NONE) return failure(req, invalid);
    const result = await ctx.coordinators.groups.sync(req);
    return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment };
  },
  errorResponse: failure,
});
