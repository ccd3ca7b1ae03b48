import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  DeleteGroupsRequest,
  DeleteGroupsRequestSchema,
  DeleteGroupsResponse,
  DeleteGroupsResponseSchema,
} from '../protocol/messages/delete-groups.schema';
import { defineApi } from '../server/api-definition';
import { coordinatorError } from './group-coordinator.util';

/** DeleteGroups v0-1: removes empty groups with their offsets; NON_EMPTY_GROUP while members remain. */
export const deleteGroupsApi = defineApi<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 1,
  request: DeleteGroupsRequestSchema,
  response: DeleteGroupsResponseSchema,
  handle: (ctx, req) => ({
    throttleTimeMs: 0,
    results: req.groupsNames.map((groupId) => {
      const notServed = coordinatorError(ctx, groupId);
      const errorCode =
        notServed !== ErrorCode.NONE ? notServed : ctx.coordinators.groups.deleteGroup(groupId);
      return { groupId, errorCode };
    }),
  }),
  errorResponse: (req, errorCode) => ({
    throttleTimeMs: 0,
    results: req.groupsNames.map((groupId) => ({ groupId, errorCode })),
  }),
});
