import { ErrorCode } from '../protocol/error-codes';
import { RequestContext } from '../server/request-context';

/**
 * NOT_COORDINATOR when this broker does not serve `groupId` (clients then look the coordinator up again), as
 * Kafka answers when the group's __consumer_offsets partition is led elsewhere; NONE when it does.
 */
export function coordinatorError(ctx: RequestContext, groupId: string): ErrorCode {
  return ctx.coordinators.coordinatorFor(groupId) === ctx.brokerId
    ? ErrorCode.NONE
    : ErrorCode.NOT_COORDINATOR;
}

/** The checks Kafka runs before any group API that needs a non-empty group id (join, sync, heartbeat, leave). */
export function memberApiError(ctx: RequestContext, groupId: string): ErrorCode {
  if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
  return coordinatorError(ctx, groupId);
}
