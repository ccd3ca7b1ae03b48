import { ErrorCode } from '../protocol/error-codes';

/** Kafka's classic group states, named as DescribeGroups reports them. */
export enum GroupState {
  Empty = 'Empty',
  PreparingRebalance = 'PreparingRebalance',
  CompletingRebalance = 'CompletingRebalance',
  Stable = 'Stable',
  Dead = 'Dead',
}

/** One protocol a member supports (for consumers: an assignor name and its subscription metadata). */
export interface MemberProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

/** A JoinGroup request, independent of its wire version. */
export interface JoinRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
  /** JoinGroup v4+: a member without an id first gets one back with MEMBER_ID_REQUIRED, then joins with it. */
  readonly requireKnownMemberId: boolean;
}

export interface JoinResult {
  readonly errorCode: ErrorCode;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leaderId: string;
  readonly memberId: string;
  /** Filled for the leader only: every member with its metadata for the chosen protocol. */
  readonly members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

export interface SyncRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>;
}

export interface SyncResult {
  readonly errorCode: ErrorCode;
  readonly assignment: Buffer;
}

/** One offset as stored by the coordinator. Null metadata is stored as '' (as Kafka does). */
export interface CommittedOffset {
  readonly offset: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** Set when the committer asked for an explicit retention (OffsetCommit v2-4). */
  readonly expireTimestamp: number | null;
}

/** Offsets of one topic as OffsetFetch returns them (-1 and '' for a partition without a committed offset). */
export interface FetchedTopicOffsets {
  readonly topic: string;
  readonly partitions: ReadonlyArray<{ partition: number; offset: number; metadata: string }>;
}

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string | null;
}

export interface OffsetCommitRequest {
  readonly groupId: string;
  /** -1 with an empty member id: a commit from outside group management (simple consumer, admin). */
  readonly generationId: number;
  readonly memberId: string;
  /** -1 means the broker default (offsets.retention.minutes). */
  readonly retentionTimeMs: number;
  readonly offsets: readonly OffsetToCommit[];
}

export interface OffsetCommitResult {
  /** A group-level error applies to every partition of the request. */
  readonly errorCode: ErrorCode;
  readonly partitionErrors: ReadonlyArray<{ topic: string; partition: number; errorCode: ErrorCode }>;
}

/** What ListGroups and the admin/doctor see of a group. */
export interface GroupListing {
  readonly groupId: string;
  readonly protocolType: string;
  readonly state: GroupState;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: GroupState;
  readonly protocolType: string;
  /** The chosen protocol, reported only when the group is Stable (as Kafka does). */
  readonly protocolName: string;
  readonly members: ReadonlyArray<{
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    metadata: Buffer;
    assignment: Buffer;
  }>;
}
