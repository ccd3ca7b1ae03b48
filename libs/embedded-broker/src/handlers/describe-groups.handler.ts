import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  DescribedGroup,
  DescribeGroupsRequest,
  DescribeGroupsRequestSchema,
  DescribeGroupsResponse,
  DescribeGroupsResponseSchema,
} from '../protocol/messages/describe-groups.schema';
import { defineApi } from '../server/api-definition';
import { RequestContext } from '../server/request-context';
import { coordinatorError } from './group-coordinator.util';

const groupError = (groupId: string, errorCode: ErrorCode): DescribedGroup => ({
  errorCode,
  groupId,
  groupState: '',
  protocolType: '',
  protocolData: '',
  members: [],
});

function describe(ctx: RequestContext, groupId: string): DescribedGroup {
  const notServed = coordinatorError(ctx, groupId);
  if (notServed !== ErrorCode.NONE) return groupError(groupId, notServed);
  const g = ctx.coordinators.groups.describeGroup(groupId);
  return {
    errorCode: ErrorCode.NONE,
    groupId,
    groupState: g.state,
    protocolType: g.protocolType,
    protocolData: g.protocolName,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: m.metadata,
      memberAssignment: m.assignment,
    })),
  };
}

/** DescribeGroups v0-2: state, protocol and members; metadata and assignments only for a Stable group (as Kafka). */
export const describeGroupsApi = defineApi<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 2,
  request: DescribeGroupsRequestSchema,
  response: DescribeGroupsResponseSchema,
  handle: (ctx, req) => ({ throttleTimeMs: 0, groups: req.groups.map((id) => describe(ctx, id)) }),
  errorResponse: (req, code) => ({ throttleTimeMs: 0, groups: req.groups.map((id) => groupError(id, code)) }),
});
