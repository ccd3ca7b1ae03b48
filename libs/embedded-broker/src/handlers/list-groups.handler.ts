import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  ListGroupsRequestSchema,
  ListGroupsResponse,
  ListGroupsResponseSchema,
} from '../protocol/messages/list-groups.schema';
import { defineApi } from '../server/api-definition';

/** ListGroups: each broker lists the groups it coordinates (clients ask every broker and merge). */
export const listGroupsApi = defineApi<object, ListGroupsResponse>({
  apiKey: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 2,
  request: ListGroupsRequestSchema,
  response: ListGroupsResponseSchema,
  handle: (ctx) => ({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    groups: ctx.coordinators.groups
      .listGroups()
      .filter((g) => ctx.coordinators.coordinatorFor(g.groupId) === ctx.brokerId)
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
  }),
  errorResponse: (_req, errorCode) => ({ throttleTimeMs: 0, errorCode, groups: [] }),
});
