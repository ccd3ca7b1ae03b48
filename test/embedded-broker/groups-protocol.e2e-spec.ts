import { Admin, AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '@nrk/embedded-broker';
import { KafkaTarget, startKafkaTarget, uniqueName, waitFor } from '../support';
import { decodeAssignment } from './support/group-raw-client';
import { RawGroupHarness } from './support/raw-group-harness';

/**
 * The group protocol at the wire level, with a raw client that can do what kafkajs never would: commit from a stale
 * generation, heartbeat as a stranger, leave for others. Runs against the embedded broker or KAFKA_BROKERS.
 */
describe('consumer groups: protocol checks (raw client)', () => {
  let target: KafkaTarget;
  let admin: Admin;
  let raw: RawGroupHarness;
  let topic: string;

  const connect = (groupId: string) => raw.connect(groupId);
  const protocols = () => raw.protocols();
  const joinNewMember = (...args: Parameters<RawGroupHarness['joinNewMember']>) => raw.joinNewMember(...args);

  beforeAll(async () => {
    target = await startKafkaTarget();
    const kafka = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    admin = kafka.admin();
    await admin.connect();
    topic = uniqueName('groups-raw');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    raw = new RawGroupHarness(target.brokers, topic);
  });

  afterAll(async () => {
    raw?.close();
    await admin?.disconnect();
    await target?.stop();
  });

  it('JoinGroup v4+ hands out a member id with MEMBER_ID_REQUIRED; v3 joins at once', async () => {
    const groupId = uniqueName('g-member-id');
    const c = await connect(groupId);
    const first = await c.joinGroup(4, { groupId, protocols: protocols() });
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).not.toBe('');
    expect(first.generationId).toBe(-1);
    const second = await c.joinGroup(4, { groupId, memberId: first.memberId, protocols: protocols() });
    expect(second).toMatchObject({
      errorCode: ErrorCode.NONE,
      memberId: first.memberId,
      leader: first.memberId,
      protocolName: 'RoundRobinAssigner',
    });
    expect(second.generationId).toBeGreaterThan(0);
    expect(second.members.map((m) => m.memberId)).toEqual([first.memberId]);

    const old = await c.joinGroup(3, { groupId: uniqueName('g-v3'), protocols: protocols() });
    expect(old.errorCode).toBe(ErrorCode.NONE);
    expect(old.memberId).not.toBe('');
    expect(old.leader).toBe(old.memberId);
  });

  it('answers UNKNOWN_MEMBER_ID to a heartbeat from a member the group does not know', async () => {
    const groupId = uniqueName('g-unknown');
    const c = await connect(groupId);
    expect((await c.heartbeat(3, groupId, 1, 'nobody')).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const { memberId, join } = await joinNewMember(c, groupId);
    const joined = await join;
    expect(
      (await c.syncGroup(3, { groupId, generationId: joined.generationId, memberId, assignments: [] }))
        .errorCode,
    ).toBe(ErrorCode.NONE);
    expect((await c.heartbeat(3, groupId, joined.generationId, memberId)).errorCode).toBe(ErrorCode.NONE);
    expect((await c.heartbeat(3, groupId, joined.generationId, `${memberId}-other`)).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await c.heartbeat(3, groupId, joined.generationId + 1, memberId)).errorCode).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
  });

  it('rebalances when a member joins a stable group, and rejects commits from a stale generation', async () => {
    const groupId = uniqueName('g-stale');
    const x = await connect(groupId);
    const y = await connect(groupId);
    const xJoin = await joinNewMember(x, groupId);
    const gen1 = await xJoin.join;
    expect(
      (
        await x.syncGroup(3, {
          groupId,
          generationId: gen1.generationId,
          memberId: xJoin.memberId,
          assignments: [],
        })
      ).errorCode,
    ).toBe(ErrorCode.NONE);

    // Y joins: the group starts rebalancing; X learns it from its heartbeat and rejoins.
    const yJoin = await joinNewMember(y, groupId);
    expect((await x.heartbeat(3, groupId, gen1.generationId, xJoin.memberId)).errorCode).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    const [xGen2, yGen2] = await Promise.all([
      x.joinGroup(5, { groupId, memberId: xJoin.memberId, protocols: protocols() }),
      yJoin.join,
    ]);
    expect(xGen2.errorCode).toBe(ErrorCode.NONE);
    expect(yGen2.generationId).toBe(xGen2.generationId);
    expect(xGen2.generationId).toBe(gen1.generationId + 1);
    expect(xGen2.leader).toBe(xJoin.memberId);
    expect(xGen2.members.map((m) => m.memberId).sort()).toEqual([xJoin.memberId, yJoin.memberId].sort());
    expect(yGen2.members).toEqual([]);

    const commit = (generationId: number, memberId: string, offset: number) =>
      x.offsetCommit(5, {
        groupId,
        generationId,
        memberId,
        topics: [
          {
            name: topic,
            partitions: [
              {
                partitionIndex: 0,
                committedOffset: offset,
                commitTimestamp: -1,
                committedMetadata: `m${offset}`,
              },
            ],
          },
        ],
      });
    const errorOf = async (p: ReturnType<typeof commit>) => (await p).topics[0].partitions[0].errorCode;

    // Between join and sync nobody may commit; then the leader's assignment reaches everyone.
    expect(await errorOf(commit(xGen2.generationId, xJoin.memberId, 1))).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    const ySync = y.syncGroup(3, {
      groupId,
      generationId: yGen2.generationId,
      memberId: yJoin.memberId,
      assignments: [],
    });
    const assignment = (partitions: number[]) => ({
      version: 0,
      assignment: { [topic]: partitions },
      userData: Buffer.alloc(0),
    });
    const xSync = await x.syncGroup(3, {
      groupId,
      generationId: xGen2.generationId,
      memberId: xJoin.memberId,
      assignments: [
        { memberId: xJoin.memberId, assignment: AssignerProtocol.MemberAssignment.encode(assignment([0])) },
        { memberId: yJoin.memberId, assignment: AssignerProtocol.MemberAssignment.encode(assignment([1])) },
      ],
    });
    expect(xSync.errorCode).toBe(ErrorCode.NONE);
    expect(decodeAssignment(xSync.assignment)).toEqual({ [topic]: [0] });
    const ySynced = await ySync;
    expect(ySynced.errorCode).toBe(ErrorCode.NONE);
    expect(decodeAssignment(ySynced.assignment)).toEqual({ [topic]: [1] });

    expect(await errorOf(commit(gen1.generationId, xJoin.memberId, 2))).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await errorOf(commit(xGen2.generationId, 'stranger', 3))).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // An admin-style commit (no generation, no member) is refused while the group has members.
    expect(await errorOf(commit(-1, '', 4))).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await errorOf(commit(xGen2.generationId, xJoin.memberId, 5))).toBe(ErrorCode.NONE);

    const [fetched] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const byPartition = Object.fromEntries(fetched.partitions.map((p) => [p.partition, p]));
    expect(byPartition[0]).toMatchObject({ offset: '5', metadata: 'm5' });
    expect(byPartition[1]).toMatchObject({ offset: '-1' });

    // A heartbeat and a sync with the old generation are refused too.
    expect((await x.heartbeat(3, groupId, gen1.generationId, xJoin.memberId)).errorCode).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    const staleSync = await y.syncGroup(3, {
      groupId,
      generationId: gen1.generationId,
      memberId: yJoin.memberId,
      assignments: [],
    });
    expect(staleSync.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('lets a restarted static member (group.instance.id) back in without a rebalance and fences its old id', async () => {
    const groupId = uniqueName('g-static');
    const instance = { groupInstanceId: uniqueName('instance') };
    const before = await connect(groupId);
    // Static members skip the MEMBER_ID_REQUIRED round trip: they are known by their instance id.
    const joined = await before.joinGroup(5, { groupId, protocols: protocols(), ...instance });
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, leader: joined.memberId });
    const mine = AssignerProtocol.MemberAssignment.encode({
      version: 0,
      assignment: { [topic]: [0, 1] },
      userData: Buffer.alloc(0),
    });
    const { generationId, memberId: oldId } = joined;
    const assignments = [{ memberId: oldId, assignment: mine }];
    expect(
      (await before.syncGroup(3, { groupId, generationId, memberId: oldId, assignments, ...instance }))
        .errorCode,
    ).toBe(ErrorCode.NONE);

    const after = await connect(groupId);
    const rejoined = await after.joinGroup(5, { groupId, protocols: protocols(), ...instance });
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, generationId, leader: oldId, members: [] });
    expect(rejoined.memberId).not.toBe(oldId);
    const synced = await after.syncGroup(3, {
      groupId,
      generationId,
      memberId: rejoined.memberId,
      assignments: [],
      ...instance,
    });
    expect(synced.errorCode).toBe(ErrorCode.NONE);
    expect(decodeAssignment(synced.assignment)).toEqual({ [topic]: [0, 1] });
    const fenced = await before.heartbeat(3, groupId, generationId, oldId, instance.groupInstanceId);
    expect(fenced.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    const live = await after.heartbeat(3, groupId, generationId, rejoined.memberId, instance.groupInstanceId);
    expect(live.errorCode).toBe(ErrorCode.NONE);
    const group = (await admin.describeGroups([groupId])).groups[0];
    expect(group).toMatchObject({ state: 'Stable' });
    expect(group.members.map((m) => m.memberId)).toEqual([rejoined.memberId]);
  });

  it('LeaveGroup v3 removes a batch of members, with an error for an unknown one', async () => {
    const groupId = uniqueName('g-leave');
    const [x, y] = [await connect(groupId), await connect(groupId)];
    const xJoin = await joinNewMember(x, groupId);
    const gen1 = await xJoin.join;
    await x.syncGroup(3, {
      groupId,
      generationId: gen1.generationId,
      memberId: xJoin.memberId,
      assignments: [],
    });
    const yJoin = await joinNewMember(y, groupId);
    await x.joinGroup(5, { groupId, memberId: xJoin.memberId, protocols: protocols() });
    await yJoin.join;
    const left = await x.leaveGroup(3, groupId, [xJoin.memberId, yJoin.memberId, 'ghost']);
    expect(left.errorCode).toBe(ErrorCode.NONE);
    expect(left.members.map((m) => [m.memberId, m.errorCode])).toEqual([
      [xJoin.memberId, ErrorCode.NONE],
      [yJoin.memberId, ErrorCode.NONE],
      ['ghost', ErrorCode.UNKNOWN_MEMBER_ID],
    ]);
    const v0 = await x.leaveGroup(0, groupId, [xJoin.memberId]);
    expect(v0.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    await waitFor(async () => (await admin.describeGroups([groupId])).groups[0].state === 'Empty');
  });
});
