import { ErrorCode } from '../protocol/error-codes';
import { Cluster } from './cluster';
import { ConsumerGroup } from './consumer-group';
import { describeGroup } from './group-describe.util';
import { joinGroup } from './group-join';
import { heartbeat, leaveGroup, syncGroup } from './group-membership';
import { storeOffsets, validateCommit } from './group-offset-commit';
import { GroupOffsets } from './group-offsets';
import { GroupRebalancer } from './group-rebalancer';
import { DEFAULT_GROUP_SETTINGS, GroupSettings } from './group-settings';
import {
  CommittedOffset,
  FetchedTopicOffsets,
  GroupDescription,
  GroupListing,
  GroupState,
  JoinRequest,
  JoinResult,
  OffsetCommitRequest,
  OffsetCommitResult,
  OffsetToCommit,
  SyncRequest,
  SyncResult,
} from './group-types';

/**
 * The consumer group coordinator, with Kafka's classic rebalance protocol and offset storage. Its state is
 * cluster-wide (as if kept in __consumer_offsets), so groups and offsets survive the death of the broker that
 * served them; which broker answers for a group is decided by `Coordinators.coordinatorFor`, in the handlers.
 */
export class GroupCoordinator {
  /** Live settings: a test may change them (e.g. a longer initial rebalance delay) before clients join. */
  readonly settings: GroupSettings;
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly rebalancer: GroupRebalancer;
  private readonly cleanupTimer: NodeJS.Timeout;

  constructor(
    readonly cluster: Cluster,
    settings: Partial<GroupSettings> = {},
  ) {
    this.settings = { ...DEFAULT_GROUP_SETTINGS, ...settings };
    this.rebalancer = new GroupRebalancer(this.settings);
    this.cleanupTimer = setInterval(
      () => this.cleanup(Date.now()),
      this.settings.offsetsRetentionCheckIntervalMs,
    );
    this.cleanupTimer.unref();
  }

  join(req: JoinRequest): JoinResult | Promise<JoinResult> {
    return joinGroup(
      {
        settings: this.settings,
        rebalancer: this.rebalancer,
        group: (id) => this.groups.get(id),
        createGroup: (id) => this.createGroup(id),
      },
      req,
    );
  }

  sync(req: SyncRequest): SyncResult | Promise<SyncResult> {
    return syncGroup(this.rebalancer, this.groups.get(req.groupId), req);
  }

  heartbeat(
    groupId: string,
    memberId: string,
    generationId: number,
    groupInstanceId: string | null = null,
  ): ErrorCode {
    return heartbeat(this.rebalancer, this.groups.get(groupId), memberId, groupInstanceId, generationId);
  }

  /** Removes members (LeaveGroup v3 sends several); one error per member, in order. */
  leave(
    groupId: string,
    members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null }>,
  ): ErrorCode[] {
    return members.map((m) =>
      leaveGroup(this.rebalancer, this.groups.get(groupId), m.memberId, m.groupInstanceId),
    );
  }

  /** OffsetCommit with Kafka's generation and member checks. */
  commit(req: OffsetCommitRequest): OffsetCommitResult {
    const existing = this.groups.get(req.groupId);
    const errorCode = validateCommit(existing, req);
    if (errorCode !== ErrorCode.NONE) {
      return {
        errorCode,
        partitionErrors: req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode })),
      };
    }
    const group = existing ?? this.createGroup(req.groupId);
    const partitionErrors = storeOffsets(group, this.rebalancer, req, {
      now: Date.now(),
      maxMetadataBytes: this.settings.maxMetadataBytes,
      partitionExists: (t, p) => this.cluster.partition(t, p) !== undefined,
    });
    return { errorCode: ErrorCode.NONE, partitionErrors };
  }

  /**
   * Writes offsets without any member or generation check: for transactional offset commits, applied when their
   * transaction commits (EndTxn). Creates the group if it does not exist, as Kafka does.
   */
  commitOffsets(groupId: string, offsets: readonly OffsetToCommit[]): void {
    const group = this.groups.get(groupId) ?? this.createGroup(groupId);
    const now = Date.now();
    for (const o of offsets) {
      group.offsets.set(o.topic, o.partition, {
        offset: o.offset,
        metadata: o.metadata ?? '',
        commitTimestamp: now,
        expireTimestamp: null,
      });
    }
  }

  /** The offsets of the given partitions (null: every partition the group has committed). */
  fetchOffsets(
    groupId: string,
    topics: ReadonlyArray<{ topic: string; partitions: readonly number[] }> | null,
  ): FetchedTopicOffsets[] {
    return (this.groups.get(groupId)?.offsets ?? new GroupOffsets()).fetch(topics);
  }

  /** The committed offset of one partition, for the admin and doctor; undefined when none is stored. */
  committedOffset(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(groupId)?.offsets.get(topic, partition);
  }

  listGroups(): GroupListing[] {
    return [...this.groups.values()].map((g) => ({
      groupId: g.groupId,
      protocolType: g.protocolType ?? '',
      state: g.state,
    }));
  }

  /** An unknown group is described as Dead with no members (Kafka does the same). */
  describeGroup(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (group) return describeGroup(group);
    return { groupId, state: GroupState.Dead, protocolType: '', protocolName: '', members: [] };
  }

  /** Deletes an empty group and its offsets (DeleteGroups). */
  deleteGroup(groupId: string): ErrorCode {
    const group = this.groups.get(groupId);
    if (!group || group.is(GroupState.Dead)) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.is(GroupState.Empty)) return ErrorCode.NON_EMPTY_GROUP;
    this.removeGroup(group);
    return ErrorCode.NONE;
  }

  /** Offsets of a deleted topic go with it (Kafka: handleDeletedPartitions). */
  onTopicDeleted(topic: string): void {
    for (const g of this.groups.values()) g.offsets.deleteTopic(topic);
  }

  /** Kafka's periodic offset cleanup: expires offsets of groups that may lose them, then drops empty groups. */
  cleanup(now: number): void {
    for (const group of [...this.groups.values()]) {
      if (group.is(GroupState.Empty)) {
        const simple = group.protocolType === null;
        group.offsets.expire(now, this.settings.offsetsRetentionMs, (o) =>
          simple ? o.commitTimestamp : group.stateTimestamp,
        );
        if (group.offsets.size === 0 && group.pendingMembers.size === 0) this.removeGroup(group);
      }
    }
  }

  stop(): void {
    clearInterval(this.cleanupTimer);
    for (const g of this.groups.values()) g.clearTimers();
  }

  private createGroup(groupId: string): ConsumerGroup {
    const group = new ConsumerGroup(groupId);
    this.groups.set(groupId, group);
    return group;
  }

  private removeGroup(group: ConsumerGroup): void {
    group.clearTimers();
    group.transitionTo(GroupState.Dead);
    this.groups.delete(group.groupId);
  }
}
