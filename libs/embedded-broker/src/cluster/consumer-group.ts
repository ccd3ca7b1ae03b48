import { GroupMember } from './group-member';
import { GroupOffsets } from './group-offsets';
import { ErrorCode } from '../protocol/error-codes';
import { GroupDescription, GroupState, JoinResult, MemberProtocol } from './group-types';

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
  }

  remove(memberId: string): void {
    this.members.get(memberId)?.cancelExpiry();
    this.members.delete(memberId);
    this.pendingSync.delete(memberId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
  }

  /** Kafka's rule: an empty group takes any non-empty protocol set; otherwise type and one common protocol must match. */
  supportsProtocols(protocolType: string, protocols: readonly MemberProtocol[]): boolean {
    if (this.is(GroupState.Empty)) return protocolType.length > 0 && protocols.length > 0;
    if (this.protocolType !== protocolType) return false;
    return protocols.some((p) =>
      [...this.members.values()].every((m) => m.protocols.some((q) => q.name === p.name)),
    );
  }

  /** Every member votes for its most preferred protocol among those all members support; the most votes wins. */
  selectProtocol(): string {
    const members = [...this.members.values()];
    const candidates = members[0].protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((q) => q.name === name)));
    const votes = new Map<string, number>();
    for (const m of members) {
      const choice = m.protocols.find((p) => candidates.includes(p.name))?.name;
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = candidates[0];
    for (const [name, n] of votes) if (n > (votes.get(best) ?? 0)) best = name;
    return best;
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
      this.protocolName = this.selectProtocol();
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

  describe(): GroupDescription {
    const stable = this.is(GroupState.Stable);
    const protocol = stable ? (this.protocolName ?? '') : '';
    return {
      groupId: this.groupId,
      state: this.state,
      protocolType: this.protocolType ?? '',
      protocolName: protocol,
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? m.metadataFor(protocol) : Buffer.alloc(0),
        assignment: stable ? m.assignment : Buffer.alloc(0),
      })),
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
