import { ErrorCode } from '../protocol/error-codes';
import { RequestContext } from '../server/request-context';

/**
 * NOT_COORDINATOR unless this broker serves `key` (a transactional id, or a group id for TxnOffsetCommit);
 * clients then look the coordinator up again with FindCoordinator.
 */
export function coordinatorError(ctx: RequestContext, key: string): ErrorCode {
  const owner = ctx.coordinators.coordinatorFor(key);
  if (owner === -1) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  return owner === ctx.brokerId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
}

/** Whether the cluster has this topic partition (transactions may only name existing ones). */
export function partitionExists(ctx: RequestContext, topic: string, partition: number): boolean {
  return ctx.cluster.partition(topic, partition) !== undefined;
}
