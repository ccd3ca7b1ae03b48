import { ErrorCode } from '../protocol/error-codes';
import { ConsumerGroup } from './consumer-group';
import { GroupMember } from './group-member';
import { GroupSettings } from './group-settings';
import { GroupState, JoinResult } from './group-types';

/**
 * Kafka waits this long for a member that has not received its first join response (it has no member id to
 * heartbeat with yet) before dropping it; a live client retries its join anyway.
 */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

/** A join answered with an error: no generation, no leader. */
export function joinError(memberId: string, errorCode: ErrorCode): JoinResult {
  return { errorCode, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] };
}

/**
 * The rebalance protocol of Kafka's GroupCoordinator: preparing a rebalance, completing the join phase when every
 * member has rejoined (or the rebalance timeout elapsed, dropping who did not), distributing the next generation,
 * and the timers that remove silent members (session timeout) and members that never sync (rebalance timeout).
 */
export class GroupRebalancer {
  constructor(private readonly settings: GroupSettings) {}

  /** A member rejoined or was added: (re)start a rebalance, or see whether the running one can complete. */
  maybePrepareRebalance(group: ConsumerGroup): void {
    if (group.is(GroupState.PreparingRebalance)) this.tryCompleteJoin(group);
    else if (
      group.is(GroupState.Stable) ||
      group.is(GroupState.CompletingRebalance) ||
      group.is(GroupState.Empty)
    ) {
      this.prepareRebalance(group);
    }
  }

  prepareRebalance(group: ConsumerGroup): void {
    if (group.is(GroupState.CompletingRebalance)) {
      // Members waiting for the old generation's assignment learn that it will never come.
      for (const m of group.members.values()) {
        m.assignment = Buffer.alloc(0);
        m.resolveSync({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
      }
    }
    group.pendingSync.clear();
    const initial = group.is(GroupState.Empty) && this.settings.initialRebalanceDelayMs > 0;
    group.transitionTo(GroupState.PreparingRebalance);
    group.initialJoinDelay = initial;
    if (initial) {
      group.newMemberAdded = false;
      const delay = this.settings.initialRebalanceDelayMs;
      this.delayInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
      return;
    }
    group.startRebalanceTimer(group.rebalanceTimeoutMs(), () => this.completeJoin(group));
    this.tryCompleteJoin(group);
  }

  /** The first rebalance of an empty group waits for more members, longer while new ones keep arriving. */
  private delayInitialJoin(group: ConsumerGroup, delay: number, remaining: number): void {
    group.startRebalanceTimer(delay, () => {
      if (group.newMemberAdded && remaining > 0) {
        group.newMemberAdded = false;
        const next = Math.min(delay, remaining);
        this.delayInitialJoin(group, next, remaining - next);
      } else {
        this.completeJoin(group);
      }
    });
  }

  tryCompleteJoin(group: ConsumerGroup): void {
    // The initial delayed join of an empty group waits out its delay even when everyone is there.
    if (group.is(GroupState.PreparingRebalance) && !group.initialJoinDelay && group.hasAllMembersJoined())
      this.completeJoin(group);
  }

  /** Ends the join phase: members that did not rejoin are dropped, the next generation goes to everyone who did. */
  completeJoin(group: ConsumerGroup): void {
    if (!group.is(GroupState.PreparingRebalance)) return;
    group.cancelRebalanceTimer();
    group.initialJoinDelay = false;
    for (const m of [...group.members.values()]) if (!m.isAwaitingJoin) group.remove(m.memberId);
    group.initNextGeneration();
    if (group.is(GroupState.Empty)) return;
    for (const m of group.members.values()) {
      m.resolveJoin(group.joinResult(m.memberId));
      m.isNew = false;
      group.pendingSync.add(m.memberId);
      this.heartbeatReceived(group, m);
    }
    const generation = group.generationId;
    group.startRebalanceTimer(group.rebalanceTimeoutMs(), () => this.expirePendingSync(group, generation));
  }

  /** Members of a generation that never sent SyncGroup within the rebalance timeout are removed (Kafka 2.8+). */
  private expirePendingSync(group: ConsumerGroup, generation: number): void {
    if (group.generationId !== generation || group.pendingSync.size === 0) return;
    if (!group.is(GroupState.CompletingRebalance) && !group.is(GroupState.Stable)) return;
    for (const id of [...group.pendingSync]) {
      group.members
        .get(id)
        ?.resolveSync({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
      group.remove(id);
    }
    this.prepareRebalance(group);
  }

  /** Every sign of life (heartbeat, join, sync, commit) restarts the member's session timer. */
  heartbeatReceived(group: ConsumerGroup, member: GroupMember): void {
    const timeout = member.isNew ? NEW_MEMBER_JOIN_TIMEOUT_MS : member.sessionTimeoutMs;
    member.scheduleExpiry(timeout, () => this.onSessionExpired(group, member));
  }

  private onSessionExpired(group: ConsumerGroup, member: GroupMember): void {
    if (group.members.get(member.memberId) !== member) return;
    // A member parked in a join or sync request cannot heartbeat; it counts as alive (Kafka: hasSatisfiedHeartbeat).
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync))
      return this.heartbeatReceived(group, member);
    this.removeMember(group, member);
  }

  /** Removes a member (left, expired) and moves the group on: a rebalance, or completing the running one. */
  removeMember(group: ConsumerGroup, member: GroupMember): void {
    member.resolveJoin(joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    member.resolveSync({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    group.remove(member.memberId);
    if (group.is(GroupState.Stable) || group.is(GroupState.CompletingRebalance)) this.prepareRebalance(group);
    else if (group.is(GroupState.PreparingRebalance)) this.tryCompleteJoin(group);
  }

  addPendingMember(group: ConsumerGroup, memberId: string, sessionTimeoutMs: number): void {
    const timer = setTimeout(() => this.removePendingMember(group, memberId), sessionTimeoutMs);
    timer.unref();
    group.pendingMembers.set(memberId, timer);
  }

  removePendingMember(group: ConsumerGroup, memberId: string): void {
    const timer = group.pendingMembers.get(memberId);
    if (timer === undefined) return;
    clearTimeout(timer);
    group.pendingMembers.delete(memberId);
    if (group.is(GroupState.PreparingRebalance)) this.tryCompleteJoin(group);
  }
}
