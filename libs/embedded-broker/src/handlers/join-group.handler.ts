import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  JoinGroupRequest,
  JoinGroupRequestSchema,
  JoinGroupResponse,
  JoinGroupResponseSchema,
} from '../protocol/messages/join-group.schema';
import { defineApi } from '../server/api-definition';
import { JoinResult } from '../cluster/group-types';
import { memberApiError } from './group-coordinator.util';

const failure = (req: JoinGroupRequest, errorCode: ErrorCode): JoinGroupResponse => ({
  throttleTimeMs: 0,
  errorCode,
  generationId: -1,
  protocolName: '',
  leader: '',
  memberId: req.memberId,
  members: [],
});

const toResponse = (r: JoinResult): JoinGroupResponse => ({
  throttleTimeMs: 0,
  errorCode: r.errorCode,
  generationId: r.generationId,
  protocolName: r.protocolName,
  leader: r.leaderId,
  memberId: r.memberId,
  members: r.members.map((m) => ({ ...m })),
});

/** JoinGroup: parks until the rebalance completes; v4+ first hands out a member id with MEMBER_ID_REQUIRED. */
export const joinGroupApi = defineApi<JoinGroupRequest, JoinGroupResponse>({
  apiKey: ApiKey.JoinGroup,
  minVersion: 0,
  maxVersion: 5,
  request: JoinGroupRequestSchema,
  response: JoinGroupResponseSchema,
  handle: async (ctx, req) => {
    const invalid = memberApiError(ctx, req.groupId);
    if (invalid !== ErrorCode.NONE) return failure(req, invalid);
    const result = ctx.coordinators.groups.join({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: ctx.header.clientId ?? '',
      clientHost: '',
      sessionTimeoutMs: req.sessionTimeoutMs,
      // v0 has no rebalance timeout: the session timeout bounds the rebalance there.
      rebalanceTimeoutMs: ctx.apiVersion === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      // Static members (with an instance id) are known by it and skip the member-id round trip.
      requireKnownMemberId: ctx.apiVersion >= 4 && req.groupInstanceId === null,
    });
    return toResponse(await result);
  },
  errorResponse: failure,
});
