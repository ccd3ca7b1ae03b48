import { ErrorCode } from '../protocol/error-codes';
import { ConsumerGroup } from './consumer-group';
import { GroupRebalancer } from './group-rebalancer';
import { GroupState, SyncRequest, SyncResult } from './group-types';

const syncError = (errorCode: ErrorCode): SyncResult => ({ errorCode, assignment: Buffer.alloc(0) });

/** Checks shared by SyncGroup and Heartbeat: the member must exist and speak of the current generation. */
function validateMember(
  group: ConsumerGroup | undefined,
  memberId: string,
  instanceId: string | null,
  generationId: number,
): ErrorCode {
  if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const invalid = group.validateMember(memberId, instanceId);
  if (invalid !== ErrorCode.NONE) return invalid;
  if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  return ErrorCode.NONE;
}

/**
 * SyncGroup: followers wait for the leader; the leader's assignment is stored and sent to everyone waiting, and
 * the group becomes Stable. A member syncing after that gets its stored assignment at once.
 */
export function syncGroup(
  rebalancer: GroupRebalancer,
  group: ConsumerGroup | undefined,
  req: SyncRequest,
): SyncResult | Promise<SyncResult> {
  const invalid = validateMember(group, req.memberId, req.groupInstanceId, req.generationId);
  if (invalid !== ErrorCode.NONE || !group) return syncError(invalid);
  const member = group.members.get(req.memberId);
  if (!member) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
  switch (group.state) {
    case GroupState.Empty:
      return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    case GroupState.PreparingRebalance:
      return syncError(ErrorCode.REBALANCE_IN_PROGRESS);
    case GroupState.Stable:
      group.pendingSync.delete(member.memberId);
      if (group.pendingSync.size === 0) group.cancelRebalanceTimer();
      rebalancer.heartbeatReceived(group, member);
      return { errorCode: ErrorCode.NONE, assignment: member.assignment };
    default:
      break;
  }
  const result = new Promise<SyncResult>((resolve) =>
    member.awaitSync(resolve, syncError(ErrorCode.REBALANCE_IN_PROGRESS)),
  );
  group.pendingSync.delete(member.memberId);
  rebalancer.heartbeatReceived(group, member);
  if (group.isLeader(member.memberId)) {
    const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
    group.transitionTo(GroupState.Stable);
    if (group.pendingSync.size === 0) group.cancelRebalanceTimer();
    for (const m of group.members.values()) {
      m.assignment = given.get(m.memberId) ?? Buffer.alloc(0);
      m.resolveSync({ errorCode: ErrorCode.NONE, assignment: m.assignment });
    }
  }
  return result;
}

/** Heartbeat: keeps the session alive and tells the member when it must rejoin. */
export function heartbeat(
  rebalancer: GroupRebalancer,
  group: ConsumerGroup | undefined,
  memberId: string,
  instanceId: string | null,
  generationId: number,
): ErrorCode {
  const invalid = validateMember(group, memberId, instanceId, generationId);
  if (invalid !== ErrorCode.NONE || !group) return invalid;
  const member = group.members.get(memberId);
  if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
  switch (group.state) {
    case GroupState.Empty:
      return ErrorCode.UNKNOWN_MEMBER_ID;
    case GroupState.PreparingRebalance:
      rebalancer.heartbeatReceived(group, member);
      return ErrorCode.REBALANCE_IN_PROGRESS;
    default:
      rebalancer.heartbeatReceived(group, member);
      return ErrorCode.NONE;
  }
}

/**
 * LeaveGroup for one member: a pending member is just forgotten; a real one is removed and triggers a rebalance.
 * An empty member id with an instance id removes that static member (administrative removal, v3+).
 */
export function leaveGroup(
  rebalancer: GroupRebalancer,
  group: ConsumerGroup | undefined,
  memberId: string,
  instanceId: string | null,
): ErrorCode {
  if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (memberId === '') {
    const current = instanceId === null ? undefined : group.staticMembers.get(instanceId);
    const member = current === undefined ? undefined : group.members.get(current);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    rebalancer.removeMember(group, member);
    return ErrorCode.NONE;
  }
  if (group.pendingMembers.has(memberId)) {
    rebalancer.removePendingMember(group, memberId);
    return ErrorCode.NONE;
  }
  const invalid = group.validateMember(memberId, instanceId);
  const member = group.members.get(memberId);
  if (invalid !== ErrorCode.NONE || !member) return invalid || ErrorCode.UNKNOWN_MEMBER_ID;
  rebalancer.removeMember(group, member);
  return ErrorCode.NONE;
}
