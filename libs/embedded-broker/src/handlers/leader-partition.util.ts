import { ErrorCode } from '../protocol/error-codes';
import { Partition } from '../cluster/partition';
import { RequestContext } from '../server/request-context';

/** The partition if this broker leads it, else the error a Kafka broker would answer with. */
export function leaderPartition(ctx: RequestContext, topic: string, index: number): Partition | ErrorCode {
  const p = ctx.cluster.partition(topic, index);
  if (!p) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  if (p.leader === -1) return ErrorCode.LEADER_NOT_AVAILABLE;
  if (p.leader !== ctx.brokerId) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  return p;
}
