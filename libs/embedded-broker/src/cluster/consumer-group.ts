import { GroupMember } from './group-member';
import { GroupOffsets } from './group-offsets';
import { selectProtocol } from './group-protocols.util';
import { ErrorCode } from '../protocol/error-codes';
import { GroupState, JoinResult } from './group-types';

/** Which states a group may enter from which (Kafka's GroupMetadata transitions); anything else is a bug here. */
const VALID_PREVIOUS: Record<GroupState, readonly GroupState[]> = {
  [GroupState.Empty]: [GroupState.PreparingRebalance],
  [GroupState.PreparingRebalance]: [GroupState.Empty, GroupState.Stable, GroupState.CompletingRebalance],
  [GroupState.CompletingRebalance]: [GroupState.PreparingRebalance],
  [GroupState.Stable]: [GroupState.CompletingRebalance],
  [GroupState.Dead]: [
    GroupState.Empty,
    GroupState.PreparingRebalance,
    GroupState.CompletingRebalance,
    GroupState.Stable,
    GroupState.Dead,
  ],
};

/**
 * The state of one consumer group: members, generation, chosen protocol, leader and committed offsets. Pure
 * bookkeeping; the rebalance protocol that drives it lives in GroupRebalancer.
 */
export class ConsumerGroup {
  state = GroupState.Empty;
  /** When the group entered its current state (offsets of an empty group expire relative to it). */
  stateTimestamp = Date.now();
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet, with their expiry timers. */
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  /** Static members (KIP-345): group.instance.id -> current member id. */
  readonly staticMembers = new Map<string, string>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  readonly offsets = new GroupOffsets();
  /** The running rebalance is the initial one of an empty group, which waits for more members to arrive. */
  initialJoinDelay = false;
  /** Set when a member joins during the initial delayed rebalance, which then waits a little longer. */
  newMemberAdded = false;
  private rebalanceTimer: NodeJS.Timeout | null = null;

  constructor(readonly groupId: string) {}

  is(state: GroupState): boolean {
    return this.state === state;
  }

  transitionTo(state: GroupState): void {
    if (!VALID_PREVIOUS[state].includes(this.state)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} -> ${state}`);
    }
    this.state = state;
    this.stateTimestamp = Date.now();
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    member?.cancelExpiry();
    const instanceId = member?.groupInstanceId ?? null;
    if (instanceId !== null && this.staticMembers.get(instanceId) === memberId)
      this.staticMembers.delete(instanceId);
    this.members.delete(memberId);
    this.pendingSync.delete(memberId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
  }

  /**
   * A static member that rejoins without its member id (a restarted process) takes over its old entry under a new
   * id; whatever the old id still had parked is answered FENCED_INSTANCE_ID.
   */
  replaceStaticMember(instanceId: string, newMemberId: string): GroupMember | undefined {
    const oldMemberId = this.staticMembers.get(instanceId);
    const member = oldMemberId === undefined ? undefined : this.members.get(oldMemberId);
    if (oldMemberId === undefined || !member) return undefined;
    member.resolveJoin({
      errorCode: ErrorCode.FENCED_INSTANCE_ID,
      generationId: -1,
      protocolName: '',
      leaderId: '',
      memberId: oldMemberId,
      members: [],
    });
    member.resolveSync({ errorCode: ErrorCode.FENCED_INSTANCE_ID, assignment: Buffer.alloc(0) });
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    if (this.pendingSync.delete(oldMemberId)) this.pendingSync.add(newMemberId);
    this.staticMembers.set(instanceId, newMemberId);
    return member;
  }

  /**
   * Kafka's validateCurrentMember: with an instance id, it must map to `memberId` (else FENCED_INSTANCE_ID, or
   * UNKNOWN_MEMBER_ID when unmapped); without one, the member must exist.
   */
  validateMember(memberId: string, instanceId: string | null): ErrorCode {
    if (instanceId !== null) {
      const current = this.staticMembers.get(instanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      return current === memberId ? ErrorCode.NONE : ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  hasAllMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.isAwaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** The longest rebalance timeout of any member: how long a rebalance waits for everyone to rejoin. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  initNextGeneration(): void {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = selectProtocol([...this.members.values()]);
      this.transitionTo(GroupState.CompletingRebalance);
    } else {
      this.protocolName = null;
      this.transitionTo(GroupState.Empty);
    }
  }

  /** The join response of `memberId` for the current generation; only the leader gets the member list. */
  joinResult(memberId: string): JoinResult {
    const protocol = this.protocolName ?? '';
    const members = this.isLeader(memberId)
      ? [...this.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          metadata: m.metadataFor(protocol),
        }))
      : [];
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolName: protocol,
      leaderId: this.leaderId ?? '',
      memberId,
      members,
    };
  }

  startRebalanceTimer(ms: number, onExpire: () => void): void {
    this.cancelRebalanceTimer();
    this.rebalanceTimer = setTimeout(onExpire, ms);
    this.rebalanceTimer.unref();
  }

  cancelRebalanceTimer(): void {
    if (this.rebalanceTimer) clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = null;
  }

  /** Stops every timer of the group (coordinator shutdown, group deletion). */
  clearTimers(): void {
    this.cancelRebalanceTimer();
    for (const m of this.members.values()) m.cancelExpiry();
    for (const t of this.pendingMembers.values()) clearTimeout(t);
  }
}
