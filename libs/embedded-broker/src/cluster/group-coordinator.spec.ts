import { ErrorCode } from '../protocol/error-codes';
import { Cluster } from './cluster';
import { DEFAULT_BROKER_SETTINGS } from './configs';
import { GroupCoordinator } from './group-coordinator';
import { GroupState, JoinRequest, JoinResult } from './group-types';

const protocols = (...names: string[]) => names.map((name) => ({ name, metadata: Buffer.from(name) }));

function joinReq(groupId: string, over: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId,
    memberId: '',
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 20_000,
    protocolType: 'consumer',
    protocols: protocols('range'),
    requireKnownMemberId: false,
    ...over,
  };
}

/** Settles a join that may be parked; fails the test if it is still parked. */
async function settled<T>(p: T | Promise<T>): Promise<T> {
  let done = false;
  const out = Promise.resolve(p).then((v) => ((done = true), v));
  await Promise.resolve();
  await Promise.resolve();
  if (!done) throw new Error('request is still parked');
  return out;
}

/** True while a join/sync promise has not been answered. */
async function isParked(p: unknown): Promise<boolean> {
  let done = false;
  void Promise.resolve(p).then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return !done;
}

describe('GroupCoordinator', () => {
  let cluster: Cluster;
  let groups: GroupCoordinator;

  beforeEach(() => {
    jest.useFakeTimers();
    cluster = new Cluster(DEFAULT_BROKER_SETTINGS);
    cluster.brokers.set(0, { id: 0, host: '127.0.0.1', port: 1, alive: true });
    cluster.createTopic({ name: 't', numPartitions: 2, replicationFactor: 1 });
    // Short session timeouts keep these tests quick: a test cluster lowers group.min.session.timeout.ms the same way.
    groups = new GroupCoordinator(cluster, { minSessionTimeoutMs: 1_000 });
  });

  afterEach(() => {
    groups.stop();
    cluster.stop();
    jest.useRealTimers();
  });

  /** Joins a member into a fresh group and syncs it: a Stable one-member group. */
  async function stableMember(groupId: string, over: Partial<JoinRequest> = {}): Promise<JoinResult> {
    const joined = await settled(groups.join(joinReq(groupId, over)));
    const synced = await settled(
      groups.sync({
        groupInstanceId: null,
        groupId,
        generationId: joined.generationId,
        memberId: joined.memberId,
        assignments: [],
      }),
    );
    expect(synced.errorCode).toBe(ErrorCode.NONE);
    return joined;
  }

  it('forms generation 1 with the first member as leader, and Stable after the leader syncs', async () => {
    const joined = await settled(groups.join(joinReq('g')));
    expect(joined).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolName: 'range',
      leaderId: joined.memberId,
    });
    expect(joined.memberId).toMatch(/^client-/);
    expect(groups.describeGroup('g').state).toBe(GroupState.CompletingRebalance);
    const synced = await settled(
      groups.sync({
        groupInstanceId: null,
        groupId: 'g',
        generationId: 1,
        memberId: joined.memberId,
        assignments: [{ memberId: joined.memberId, assignment: Buffer.from('a') }],
      }),
    );
    expect(synced).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('a') });
    expect(groups.describeGroup('g')).toMatchObject({ state: GroupState.Stable, protocolName: 'range' });
  });

  it('rejects bad joins: empty group id, session timeout out of range, foreign protocol type or no common protocol', async () => {
    expect((await settled(groups.join(joinReq('')))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await settled(groups.join(joinReq('g', { sessionTimeoutMs: 1 })))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    // Kafka's defaults, group.min.session.timeout.ms=6000 and group.max.session.timeout.ms=1800000.
    const kafkaDefaults = new GroupCoordinator(cluster);
    expect((await settled(kafkaDefaults.join(joinReq('g2', { sessionTimeoutMs: 5_999 })))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect(
      (await settled(kafkaDefaults.join(joinReq('g2', { sessionTimeoutMs: 1_800_001 })))).errorCode,
    ).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    kafkaDefaults.stop();
    expect((await settled(groups.join(joinReq('g', { memberId: 'm' })))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    await stableMember('g');
    expect((await settled(groups.join(joinReq('g', { protocolType: 'connect' })))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect((await settled(groups.join(joinReq('g', { protocols: protocols('sticky') })))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
  });

  it("picks the protocol every member supports, by the members' preference", async () => {
    const a = groups.join(joinReq('g', { protocols: protocols('sticky', 'range') }));
    const first = await settled(a);
    expect(first.protocolName).toBe('sticky');
    await settled(
      groups.sync({
        groupInstanceId: null,
        groupId: 'g',
        generationId: 1,
        memberId: first.memberId,
        assignments: [],
      }),
    );
    const b = groups.join(joinReq('g', { protocols: protocols('range') }));
    const aAgain = await settled(
      groups.join(joinReq('g', { memberId: first.memberId, protocols: protocols('sticky', 'range') })),
    );
    const bJoined = await settled(b);
    expect(aAgain.protocolName).toBe('range');
    expect(bJoined.generationId).toBe(2);
  });

  it('holds the rebalance for a member that got MEMBER_ID_REQUIRED until it joins or its session expires', async () => {
    const a = await stableMember('g');
    const pending = await settled(
      groups.join(joinReq('g', { requireKnownMemberId: true, sessionTimeoutMs: 1_000 })),
    );
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    // The leader rejoins (as kafkajs does on metadata change): the group waits for the pending member.
    const rejoin = groups.join(joinReq('g', { memberId: a.memberId }));
    expect(await isParked(rejoin)).toBe(true);
    jest.advanceTimersByTime(1_000);
    const done = await settled(rejoin);
    expect(done.generationId).toBe(2);
    expect(done.members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect((await settled(groups.join(joinReq('g', { memberId: pending.memberId })))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('removes a member whose session expires and rebalances the rest', async () => {
    const a = await stableMember('g', { sessionTimeoutMs: 3_000 });
    const bJoin = groups.join(joinReq('g', { sessionTimeoutMs: 3_000 }));
    const aRejoin = await settled(
      groups.join(joinReq('g', { memberId: a.memberId, sessionTimeoutMs: 3_000 })),
    );
    const b = await settled(bJoin);
    const gen = b.generationId;
    await settled(
      groups.sync({
        groupInstanceId: null,
        groupId: 'g',
        generationId: gen,
        memberId: a.memberId,
        assignments: [],
      }),
    );
    await settled(
      groups.sync({
        groupInstanceId: null,
        groupId: 'g',
        generationId: gen,
        memberId: b.memberId,
        assignments: [],
      }),
    );
    expect(aRejoin.leaderId).toBe(a.memberId);
    // A keeps heartbeating, B goes silent.
    jest.advanceTimersByTime(1_500);
    expect(groups.heartbeat('g', a.memberId, gen)).toBe(ErrorCode.NONE);
    jest.advanceTimersByTime(1_499);
    expect(groups.heartbeat('g', a.memberId, gen)).toBe(ErrorCode.NONE);
    jest.advanceTimersByTime(1);
    expect(groups.heartbeat('g', a.memberId, gen)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(groups.heartbeat('g', b.memberId, gen)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const alone = await settled(groups.join(joinReq('g', { memberId: a.memberId, sessionTimeoutMs: 3_000 })));
    expect(alone).toMatchObject({ generationId: gen + 1, leaderId: a.memberId });
    expect(alone.members).toHaveLength(1);
  });

  it('removes members that never sync within the rebalance timeout', async () => {
    const joined = await settled(groups.join(joinReq('g', { rebalanceTimeoutMs: 2_000 })));
    expect(groups.heartbeat('g', joined.memberId, joined.generationId)).toBe(ErrorCode.NONE);
    jest.advanceTimersByTime(2_000);
    expect(groups.describeGroup('g')).toMatchObject({ state: GroupState.Empty, members: [] });
    expect(groups.heartbeat('g', joined.memberId, joined.generationId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('tells a member parked in SyncGroup to rejoin when a rebalance starts before the leader syncs', async () => {
    const a = await stableMember('g');
    const bJoin = groups.join(joinReq('g'));
    await settled(groups.join(joinReq('g', { memberId: a.memberId })));
    const b = await settled(bJoin);
    const bSync = groups.sync({
      groupInstanceId: null,
      groupId: 'g',
      generationId: b.generationId,
      memberId: b.memberId,
      assignments: [],
    });
    expect(await isParked(bSync)).toBe(true);
    expect(groups.leave('g', [{ memberId: a.memberId, groupInstanceId: null }])).toEqual([ErrorCode.NONE]);
    expect((await settled(bSync)).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('waits out the initial rebalance delay of an empty group so members arriving together share one generation', async () => {
    groups.settings.initialRebalanceDelayMs = 3_000;
    const a = groups.join(joinReq('g'));
    jest.advanceTimersByTime(1_000);
    const b = groups.join(joinReq('g'));
    expect(await isParked(a)).toBe(true);
    jest.advanceTimersByTime(3_000);
    expect(await isParked(a)).toBe(true);
    jest.advanceTimersByTime(3_000);
    const [ra, rb] = [await settled(a), await settled(b)];
    expect(ra.generationId).toBe(1);
    expect(rb.generationId).toBe(1);
    expect(ra.members).toHaveLength(2);
  });

  it('lets a restarted static member take over its entry without a rebalance, fencing the old id', async () => {
    const a = await settled(groups.join(joinReq('g', { groupInstanceId: 'instance-a' })));
    const gen = a.generationId;
    const assignments = [{ memberId: a.memberId, assignment: Buffer.from('p0') }];
    await settled(
      groups.sync({
        groupInstanceId: 'instance-a',
        groupId: 'g',
        generationId: gen,
        memberId: a.memberId,
        assignments,
      }),
    );
    const restarted = await settled(groups.join(joinReq('g', { groupInstanceId: 'instance-a' })));
    expect(restarted).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: gen,
      leaderId: a.memberId,
      members: [],
    });
    expect(restarted.memberId).toMatch(/^instance-a-/);
    expect(groups.describeGroup('g').state).toBe(GroupState.Stable);
    expect(groups.heartbeat('g', a.memberId, gen, 'instance-a')).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(groups.heartbeat('g', a.memberId, gen)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(groups.heartbeat('g', restarted.memberId, gen, 'instance-a')).toBe(ErrorCode.NONE);
    expect(groups.heartbeat('g', restarted.memberId, gen, 'instance-b')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const synced = await settled(
      groups.sync({
        groupInstanceId: 'instance-a',
        groupId: 'g',
        generationId: gen,
        memberId: restarted.memberId,
        assignments: [],
      }),
    );
    expect(synced).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('p0') });
    // A changed subscription does need a rebalance.
    const changed = groups.join(
      joinReq('g', { groupInstanceId: 'instance-a', protocols: protocols('roundrobin', 'range') }),
    );
    const next = await settled(changed);
    expect(next).toMatchObject({ generationId: gen + 1, protocolName: 'roundrobin' });
    expect(groups.leave('g', [{ memberId: '', groupInstanceId: 'instance-a' }])).toEqual([ErrorCode.NONE]);
    expect(groups.describeGroup('g').state).toBe(GroupState.Empty);
  });

  it('validates commits: generation, member, rebalance phase, simple commits only into empty groups', async () => {
    const offsets = [{ topic: 't', partition: 0, offset: 7, metadata: null }];
    const commit = (generationId: number, memberId: string, groupId = 'g') =>
      groups.commit({ groupId, generationId, memberId, retentionTimeMs: -1, offsets }).errorCode;
    expect(commit(1, 'm', 'unknown')).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(commit(-1, '', 'simple')).toBe(ErrorCode.NONE);
    expect(groups.committedOffset('simple', 't', 0)).toMatchObject({ offset: 7, metadata: '' });

    const joined = await settled(groups.join(joinReq('g')));
    expect(commit(joined.generationId, joined.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await settled(
      groups.sync({
        groupInstanceId: null,
        groupId: 'g',
        generationId: 1,
        memberId: joined.memberId,
        assignments: [],
      }),
    );
    expect(commit(-1, '')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(commit(1, 'other')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(commit(0, joined.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(commit(1, joined.memberId)).toBe(ErrorCode.NONE);
  });

  it('reports per-partition errors for unknown partitions and oversized metadata, storing the rest', () => {
    const result = groups.commit({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      retentionTimeMs: -1,
      offsets: [
        { topic: 't', partition: 0, offset: 1, metadata: 'ok' },
        { topic: 't', partition: 9, offset: 1, metadata: null },
        { topic: 't', partition: 1, offset: 1, metadata: 'x'.repeat(5000) },
      ],
    });
    expect(result.partitionErrors.map((p) => p.errorCode)).toEqual([
      ErrorCode.NONE,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
    ]);
    expect(groups.fetchOffsets('g', null)).toEqual([
      { topic: 't', partitions: [{ partition: 0, offset: 1, metadata: 'ok' }] },
    ]);
    expect(groups.fetchOffsets('g', [{ topic: 't', partitions: [1] }])).toEqual([
      { topic: 't', partitions: [{ partition: 1, offset: -1, metadata: '' }] },
    ]);
  });

  it('applies transactional offsets without member checks, even while the group has members', async () => {
    await stableMember('g');
    groups.commitOffsets('g', [{ topic: 't', partition: 1, offset: 42, metadata: 'txn' }]);
    expect(groups.committedOffset('g', 't', 1)).toMatchObject({ offset: 42, metadata: 'txn' });
  });

  it('expires offsets of an empty group after the retention, and explicit (v2-4) retentions at their time', () => {
    groups.commit({
      groupId: 'a',
      generationId: -1,
      memberId: '',
      retentionTimeMs: 1_000,
      offsets: [{ topic: 't', partition: 0, offset: 1, metadata: null }],
    });
    groups.commit({
      groupId: 'b',
      generationId: -1,
      memberId: '',
      retentionTimeMs: -1,
      offsets: [{ topic: 't', partition: 0, offset: 1, metadata: null }],
    });
    groups.cleanup(Date.now() + 1_000);
    expect(groups.committedOffset('a', 't', 0)).toBeUndefined();
    expect(groups.listGroups().map((g) => g.groupId)).toEqual(['b']);
    groups.cleanup(Date.now() + groups.settings.offsetsRetentionMs);
    expect(groups.listGroups()).toEqual([]);
  });

  it('deletes only empty groups', async () => {
    const m = await stableMember('g');
    expect(groups.deleteGroup('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(groups.leave('g', [{ memberId: m.memberId, groupInstanceId: null }])).toEqual([ErrorCode.NONE]);
    expect(groups.describeGroup('g').state).toBe(GroupState.Empty);
    expect(groups.deleteGroup('g')).toBe(ErrorCode.NONE);
    expect(groups.deleteGroup('g')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(groups.describeGroup('g').state).toBe(GroupState.Dead);
  });
});
