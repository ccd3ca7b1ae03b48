import { Admin, Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '@nrk/embedded-broker';
import { KafkaTarget, startKafkaTarget, uniqueName } from '../support';
import { RawGroupHarness } from './support/raw-group-harness';

/** The coordinator's timers, seen from raw members: the rebalance timeout and the session timeout. */
describe('consumer groups: rebalance and session timeouts (raw client)', () => {
  let target: KafkaTarget;
  let admin: Admin;
  let raw: RawGroupHarness;

  beforeAll(async () => {
    target = await startKafkaTarget();
    admin = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topic = uniqueName('groups-timeouts');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    raw = new RawGroupHarness(target.brokers, topic);
  });

  afterAll(async () => {
    raw?.close();
    await admin?.disconnect();
    await target?.stop();
  });

  it('drops a member that does not rejoin within the rebalance timeout', async () => {
    const groupId = uniqueName('g-rebalance-timeout');
    const timeouts = { sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 1_500 };
    const [x, y, z] = [await raw.connect(groupId), await raw.connect(groupId), await raw.connect(groupId)];
    const xMember = await raw.stableMember(x, groupId, timeouts);
    const yJoin = await raw.joinNewMember(y, groupId, timeouts);
    await raw.rejoin(x, groupId, xMember.memberId, timeouts);
    const gen2 = await yJoin.join;
    expect(gen2.errorCode).toBe(ErrorCode.NONE);
    const sync = (c: typeof x, memberId: string) =>
      c.syncGroup(3, { groupId, generationId: gen2.generationId, memberId, assignments: [] });
    await Promise.all([sync(x, xMember.memberId), sync(y, yJoin.memberId)]);

    // Z joins; Y rejoins, X keeps heartbeating but never rejoins: after the rebalance timeout X is out.
    const zJoin = await raw.joinNewMember(z, groupId, timeouts);
    const xBeat = () => x.heartbeat(3, groupId, gen2.generationId, xMember.memberId);
    expect((await xBeat()).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const [yGen3, zGen3] = await Promise.all([raw.rejoin(y, groupId, yJoin.memberId, timeouts), zJoin.join]);
    expect(yGen3.errorCode).toBe(ErrorCode.NONE);
    expect(zGen3.generationId).toBe(gen2.generationId + 1);
    const leader = yGen3.leader === yJoin.memberId ? yGen3 : zGen3;
    expect(leader.members.map((m) => m.memberId).sort()).toEqual([yJoin.memberId, zJoin.memberId].sort());
    expect((await xBeat()).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('expires a member that stops heartbeating after its session timeout', async () => {
    const groupId = uniqueName('g-session');
    // 6 s: Kafka's default group.min.session.timeout.ms, so the test also runs against a real cluster.
    const timeouts = { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 20_000 };
    const [x, y] = [await raw.connect(groupId), await raw.connect(groupId)];
    const xMember = await raw.stableMember(x, groupId, timeouts);
    // Y's join parks until X rejoins or is gone: X stays silent, so its session timeout removes it.
    const yJoin = await raw.joinNewMember(y, groupId, timeouts);
    const joined = await yJoin.join;
    expect(joined.errorCode).toBe(ErrorCode.NONE);
    expect(joined.leader).toBe(yJoin.memberId);
    expect(joined.members.map((m) => m.memberId)).toEqual([yJoin.memberId]);
    const xBeat = await x.heartbeat(3, groupId, xMember.generationId, xMember.memberId);
    expect(xBeat.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});
