import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes';
import { ConsumerGroup } from './consumer-group';
import { GroupMember } from './group-member';
import { selectProtocol, supportsProtocols } from './group-protocols.util';
import { GroupRebalancer, joinError } from './group-rebalancer';
import { GroupSettings } from './group-settings';
import { GroupState, JoinRequest, JoinResult } from './group-types';

/** What the join logic needs from the coordinator. */
export interface JoinContext {
  readonly settings: GroupSettings;
  readonly rebalancer: GroupRebalancer;
  group(groupId: string): ConsumerGroup | undefined;
  createGroup(groupId: string): ConsumerGroup;
}

/**
 * JoinGroup as Kafka's GroupCoordinator handles it. Returns at once for errors and for joins that need no
 * rebalance; otherwise the member is parked and the promise settles when the join phase completes.
 * All state changes happen before this returns, so requests apply in arrival order.
 */
export function joinGroup(ctx: JoinContext, req: JoinRequest): JoinResult | Promise<JoinResult> {
  if (req.groupId === '') return joinError(req.memberId, ErrorCode.INVALID_GROUP_ID);
  const { minSessionTimeoutMs, maxSessionTimeoutMs } = ctx.settings;
  if (req.sessionTimeoutMs < minSessionTimeoutMs || req.sessionTimeoutMs > maxSessionTimeoutMs) {
    return joinError(req.memberId, ErrorCode.INVALID_SESSION_TIMEOUT);
  }
  let group = ctx.group(req.groupId);
  if (!group) {
    if (req.memberId !== '') return joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID);
    group = ctx.createGroup(req.groupId);
  }
  if (group.is(GroupState.Dead)) return joinError(req.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE);
  if (!supportsProtocols(group, req.protocolType, req.protocols))
    return joinError(req.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  if (req.memberId === '') return joinUnknownMember(ctx, group, req);
  return joinKnownMember(ctx, group, req);
}

function joinUnknownMember(
  ctx: JoinContext,
  group: ConsumerGroup,
  req: JoinRequest,
): JoinResult | Promise<JoinResult> {
  const memberId = `${req.groupInstanceId ?? req.clientId}-${randomUUID()}`;
  if (req.groupInstanceId !== null && group.staticMembers.has(req.groupInstanceId)) {
    return updateStaticMember(ctx, group, req.groupInstanceId, memberId, req);
  }
  if (req.requireKnownMemberId) {
    // v4+: hand out the id first, so a client that times out and retries does not leave ghost members behind.
    ctx.rebalancer.addPendingMember(group, memberId, req.sessionTimeoutMs);
    return joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED);
  }
  return addMemberAndRebalance(ctx, group, memberId, req);
}

/**
 * A known static member rejoined without its member id (restarted): it replaces its old entry under a new id. A
 * Stable group whose protocol choice does not change answers at once with the current generation, without a
 * rebalance (the point of static membership); the old leader id is returned so the new id does not reassign.
 */
function updateStaticMember(
  ctx: JoinContext,
  group: ConsumerGroup,
  instanceId: string,
  memberId: string,
  req: JoinRequest,
): JoinResult | Promise<JoinResult> {
  const currentLeader = group.leaderId ?? '';
  const member = group.replaceStaticMember(instanceId, memberId);
  if (!member) return joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID);
  member.protocols = req.protocols;
  member.sessionTimeoutMs = req.sessionTimeoutMs;
  member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
  ctx.rebalancer.heartbeatReceived(group, member);
  if (group.is(GroupState.Stable) && selectProtocol([...group.members.values()]) === group.protocolName) {
    return { ...group.joinResult(memberId), leaderId: currentLeader, members: [] };
  }
  const result = new Promise<JoinResult>((resolve) =>
    member.awaitJoin(resolve, joinError(memberId, ErrorCode.REBALANCE_IN_PROGRESS)),
  );
  ctx.rebalancer.maybePrepareRebalance(group);
  return result;
}

function joinKnownMember(
  ctx: JoinContext,
  group: ConsumerGroup,
  req: JoinRequest,
): JoinResult | Promise<JoinResult> {
  if (group.pendingMembers.has(req.memberId)) {
    const timer = group.pendingMembers.get(req.memberId);
    clearTimeout(timer);
    group.pendingMembers.delete(req.memberId);
    return addMemberAndRebalance(ctx, group, req.memberId, req);
  }
  const invalid = group.validateMember(req.memberId, req.groupInstanceId);
  const member = group.members.get(req.memberId);
  if (invalid !== ErrorCode.NONE || !member)
    return joinError(req.memberId, invalid || ErrorCode.UNKNOWN_MEMBER_ID);
  switch (group.state) {
    case GroupState.PreparingRebalance:
      return updateMemberAndRebalance(ctx, group, member, req);
    case GroupState.CompletingRebalance:
      // The member lost its join response: send the same one again unless its protocols changed.
      if (member.matches(req.protocols)) return group.joinResult(member.memberId);
      return updateMemberAndRebalance(ctx, group, member, req);
    case GroupState.Stable:
      // A follower rejoining with unchanged protocols just gets the current generation; the leader's rejoin
      // (e.g. it saw the topic metadata change) or a changed subscription starts a rebalance.
      if (group.isLeader(member.memberId) || !member.matches(req.protocols))
        return updateMemberAndRebalance(ctx, group, member, req);
      ctx.rebalancer.heartbeatReceived(group, member);
      return group.joinResult(member.memberId);
    default:
      return joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID);
  }
}

function addMemberAndRebalance(
  ctx: JoinContext,
  group: ConsumerGroup,
  memberId: string,
  req: JoinRequest,
): Promise<JoinResult> {
  const member = new GroupMember(
    memberId,
    req.groupInstanceId,
    req.clientId,
    req.clientHost,
    req.sessionTimeoutMs,
    req.rebalanceTimeoutMs,
    req.protocolType,
    req.protocols,
  );
  if (group.is(GroupState.PreparingRebalance) && group.initialJoinDelay) group.newMemberAdded = true;
  const result = new Promise<JoinResult>((resolve) =>
    member.awaitJoin(resolve, joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID)),
  );
  group.add(member);
  ctx.rebalancer.heartbeatReceived(group, member);
  ctx.rebalancer.maybePrepareRebalance(group);
  return result;
}

function updateMemberAndRebalance(
  ctx: JoinContext,
  group: ConsumerGroup,
  member: GroupMember,
  req: JoinRequest,
): Promise<JoinResult> {
  member.protocols = req.protocols;
  member.sessionTimeoutMs = req.sessionTimeoutMs;
  member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
  // A join already parked for this member was abandoned by the client (it sent this one instead).
  const result = new Promise<JoinResult>((resolve) =>
    member.awaitJoin(resolve, joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS)),
  );
  ctx.rebalancer.heartbeatReceived(group, member);
  ctx.rebalancer.maybePrepareRebalance(group);
  return result;
}
