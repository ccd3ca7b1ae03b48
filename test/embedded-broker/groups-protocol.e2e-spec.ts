import { Admin, AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '@nrk/embedded-broker';
import { KafkaTarget, startKafkaTarget, uniqueName, waitFor } from '../support';
import { decodeAssignment, GroupRawClient, subscription } from './support/group-raw-client';

/**
 * The group protocol at the wire level, with a raw client that can do what kafkajs never would: commit from a stale
 * generation, heartbeat as a stranger, stop rejoining. Runs against the embedded broker or KAFKA_BROKERS.
 */
describe('consumer groups: protocol checks (raw client)', () => {
  let target: KafkaTarget;
  let admin: Admin;
  let coordinatorOf: (groupId: string) => Promise<string>;
  const clients: GroupRawClient[] = [];
  let topic: string;

  /** A raw connection to the coordinator of `groupId`. */
  async function connect(groupId: string): Promise<GroupRawClient> {
    const c = await GroupRawClient.open(await coordinatorOf(groupId), uniqueName('raw'));
    clients.push(c);
    return c;
  }

  const protocols = () => [{ name: 'RoundRobinAssigner', metadata: subscription([topic]) }];

  /** JoinGroup v5 the way a v4+ client must: first get a member id (MEMBER_ID_REQUIRED), then join with it. */
  async function joinNewMember(
    c: GroupRawClient,
    groupId: string,
    opts: { sessionTimeoutMs?: number; rebalanceTimeoutMs?: number } = {},
  ) {
    const first = await c.joinGroup(5, { groupId, protocols: protocols(), ...opts });
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    return {
      memberId: first.memberId,
      join: c.joinGroup(5, { groupId, memberId: first.memberId, protocols: protocols(), ...opts }),
    };
  }

  beforeAll(async () => {
    target = await startKafkaTarget();
    const kafka = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    admin = kafka.admin();
    await admin.connect();
    topic = uniqueName('groups-raw');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const bootstrap = await GroupRawClient.open(target.brokers[0]);
    clients.push(bootstrap);
    coordinatorOf = async (groupId) => {
      const found = await bootstrap.findCoordinator(groupId);
      expect(found.errorCode).toBe(ErrorCode.NONE);
      return `${found.host}:${found.port}`;
    };
  });

  afterAll(async () => {
    for (const c of clients) c.close();
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

  it('drops a member that does not rejoin within the rebalance timeout', async () => {
    const groupId = uniqueName('g-rebalance-timeout');
    const timeouts = { sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 1_500 };
    const [x, y, z] = [await connect(groupId), await connect(groupId), await connect(groupId)];
    const xJoin = await joinNewMember(x, groupId, timeouts);
    const gen1 = await xJoin.join;
    await x.syncGroup(3, {
      groupId,
      generationId: gen1.generationId,
      memberId: xJoin.memberId,
      assignments: [],
    });
    const yJoin = await joinNewMember(y, groupId, timeouts);
    await x.joinGroup(5, { groupId, memberId: xJoin.memberId, protocols: protocols(), ...timeouts });
    const gen2 = await yJoin.join;
    expect(gen2.errorCode).toBe(ErrorCode.NONE);
    await Promise.all([
      x.syncGroup(3, { groupId, generationId: gen2.generationId, memberId: xJoin.memberId, assignments: [] }),
      y.syncGroup(3, { groupId, generationId: gen2.generationId, memberId: yJoin.memberId, assignments: [] }),
    ]);

    // Z joins; Y rejoins, X keeps heartbeating but never rejoins: after the rebalance timeout X is out.
    const zJoin = await joinNewMember(z, groupId, timeouts);
    expect((await x.heartbeat(3, groupId, gen2.generationId, xJoin.memberId)).errorCode).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    const [yGen3, zGen3] = await Promise.all([
      y.joinGroup(5, { groupId, memberId: yJoin.memberId, protocols: protocols(), ...timeouts }),
      zJoin.join,
    ]);
    expect(yGen3.errorCode).toBe(ErrorCode.NONE);
    expect(zGen3.generationId).toBe(gen2.generationId + 1);
    const leader = yGen3.leader === yJoin.memberId ? yGen3 : zGen3;
    expect(leader.members.map((m) => m.memberId).sort()).toEqual([yJoin.memberId, zJoin.memberId].sort());
    expect((await x.heartbeat(3, groupId, gen2.generationId, xJoin.memberId)).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('expires a member that stops heartbeating after its session timeout', async () => {
    const groupId = uniqueName('g-session');
    const [x, y] = [await connect(groupId), await connect(groupId)];
    // 6 s: Kafka's default group.min.session.timeout.ms, so the test also runs against a real cluster.
    const xJoin = await joinNewMember(x, groupId, { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 20_000 });
    const gen1 = await xJoin.join;
    await x.syncGroup(3, {
      groupId,
      generationId: gen1.generationId,
      memberId: xJoin.memberId,
      assignments: [],
    });
    // Y's join parks until X rejoins or is gone: X stays silent, so the session timeout removes it.
    const yJoin = await joinNewMember(y, groupId, { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 20_000 });
    const joined = await yJoin.join;
    expect(joined.errorCode).toBe(ErrorCode.NONE);
    expect(joined.leader).toBe(yJoin.memberId);
    expect(joined.members.map((m) => m.memberId)).toEqual([yJoin.memberId]);
    expect((await x.heartbeat(3, groupId, gen1.generationId, xJoin.memberId)).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
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
