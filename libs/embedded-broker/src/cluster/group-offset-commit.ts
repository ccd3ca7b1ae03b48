import { ErrorCode } from '../protocol/error-codes';
import { ConsumerGroup } from './consumer-group';
import { GroupRebalancer } from './group-rebalancer';
import { GroupState, OffsetCommitRequest } from './group-types';

/**
 * Whether a group accepts an OffsetCommit, in Kafka's order of checks (GroupCoordinator.validateOffsetCommit,
 * ClassicGroup.validateOffsetCommit): a commit outside group management (generation -1, no member) is taken only
 * by an empty group; otherwise the member must be known (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) and name the
 * current generation (ILLEGAL_GENERATION), and only then does a rebalance between join and sync refuse it
 * (REBALANCE_IN_PROGRESS).
 */
export function validateCommit(group: ConsumerGroup | undefined, req: OffsetCommitRequest): ErrorCode {
  if (!group) return req.generationId < 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
  if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (req.generationId < 0 && group.is(GroupState.Empty)) return ErrorCode.NONE;
  // OffsetCommit v0-5 carries no group.instance.id (v7+), so only the member id identifies the member.
  if (req.generationId >= 0 || req.memberId !== '') {
    const invalid = group.validateMember(req.memberId, null);
    if (invalid !== ErrorCode.NONE) return invalid;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  } else if (!group.is(GroupState.Empty)) {
    return ErrorCode.UNKNOWN_MEMBER_ID;
  }
  if (group.is(GroupState.CompletingRebalance)) return ErrorCode.REBALANCE_IN_PROGRESS;
  return ErrorCode.NONE;
}

/** Stores the offsets of an accepted commit; per-partition errors are for offsets that were not stored. */
export function storeOffsets(
  group: ConsumerGroup,
  rebalancer: GroupRebalancer,
  req: OffsetCommitRequest,
  opts: {
    now: number;
    maxMetadataBytes: number;
    partitionExists: (topic: string, partition: number) => boolean;
  },
): Array<{ topic: string; partition: number; errorCode: ErrorCode }> {
  const member = group.members.get(req.memberId);
  if (member) rebalancer.heartbeatReceived(group, member);
  const expireTimestamp = req.retentionTimeMs >= 0 ? opts.now + req.retentionTimeMs : null;
  return req.offsets.map(({ topic, partition, offset, metadata }) => {
    let errorCode = ErrorCode.NONE;
    if (!opts.partitionExists(topic, partition)) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    else if (metadata !== null && Buffer.byteLength(metadata) > opts.maxMetadataBytes)
      errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
    else
      group.offsets.set(topic, partition, {
        offset,
        metadata: metadata ?? '',
        commitTimestamp: opts.now,
        expireTimestamp,
      });
    return { topic, partition, errorCode };
  });
}
