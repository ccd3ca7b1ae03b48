import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  LeaveGroupRequest,
  LeaveGroupRequestSchema,
  LeaveGroupResponse,
  LeaveGroupResponseSchema,
} from '../protocol/messages/leave-group.schema';
import { defineApi } from '../server/api-definition';
import { memberApiError } from './group-coordinator.util';

const failure = (_req: LeaveGroupRequest, errorCode: ErrorCode): LeaveGroupResponse => ({
  throttleTimeMs: 0,
  errorCode,
  members: [],
});

/**
 * LeaveGroup: v0-2 remove one member, v3 a batch with an error per member. Before v3 the single error is the
 * group-level one, or else the member's (as Kafka folds them).
 */
export const leaveGroupApi = defineApi<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 3,
  request: LeaveGroupRequestSchema,
  response: LeaveGroupResponseSchema,
  handle: (ctx, req) => {
    const invalid = memberApiError(ctx, req.groupId);
    if (invalid !== ErrorCode.NONE) return failure(req, invalid);
    const leaving = ctx.apiVersion >= 3 ? req.members : [{ memberId: req.memberId, groupInstanceId: null }];
    const errors = ctx.coordinators.groups.leave(req.groupId, leaving);
    const members = leaving.map((m, i) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode: errors[i],
    }));
    const errorCode =
      ctx.apiVersion >= 3 ? ErrorCode.NONE : (errors.find((e) => e !== ErrorCode.NONE) ?? ErrorCode.NONE);
    return { throttleTimeMs: 0, errorCode, members };
  },
  errorResponse: failure,
});
