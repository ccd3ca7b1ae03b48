import { Kafka, logLevel, type Admin } from 'kafkajs';
import { killAllChildren } from '../chaos/child-process.util';
import { startKafkaTarget, uniqueName, waitFor, type KafkaTarget } from '../support';
import { EffectLedger, startMember, type MemberSettings } from './membership/member-fleet';

jest.setTimeout(180_000);

/**
 * Group membership under the events that take work away from a member: a member joining during long calls, a
 * member frozen past its session timeout (a zombie), a call that never settles, a SIGTERM. Each member is a
 * process of its own (see membership/member.process.ts) writing one effect row per handled record to Postgres;
 * the tests count effects per message id.
 */
describe('membership: scale-out, zombies, hanging calls and shutdown (member processes)', () => {
  let target: KafkaTarget;
  let admin: Admin;
  let ledger: EffectLedger;

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 1 });
    admin = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  beforeEach(async () => {
    ledger = new EffectLedger();
    await ledger.open();
  });
  afterEach(async () => {
    await killAllChildren();
    await ledger.close();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await target?.stop();
  });

  /** A topic with `partitions` partitions and one record on each; returns its name. */
  async function oneRecordPerPartition(partitions: number): Promise<string> {
    const topic = uniqueName('members');
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    const producer = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: partitions }, (_, p) => ({
        partition: p,
        value: JSON.stringify({ p }),
        headers: { 'message-id': `${topic}-${p}` },
      })),
    });
    await producer.disconnect();
    return topic;
  }

  async function committedEverything(groupId: string, topic: string): Promise<boolean> {
    const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.every((e) => partitions.find((p) => p.partition === e.partition)?.offset === e.high);
  }

  const settingsFor = (topic: string, extra: Partial<MemberSettings>): MemberSettings => ({
    topic,
    groupId: uniqueName('members'),
    brokers: target.brokers,
    callMs: 0,
    ...extra,
  });

  describe.each(['none', 'redis', 'postgres'] as const)('dedup %s', (dedup) => {
    it('a member joining during long calls gets work within one call, and no record is handled twice', async () => {
      const partitions = 6;
      const callMs = 3_000;
      const topic = await oneRecordPerPartition(partitions);
      const settings = settingsFor(topic, { callMs, dedup });
      const a = await startMember(settings, ledger);
      await waitFor(() => a.of('call-start').length > 0, { message: 'A started a call' });
      await new Promise((r) => setTimeout(r, 1_000));
      const b = await startMember(settings, ledger);
      const joinedAt = Date.now();
      await waitFor(() => b.of('call-start').length > 0, {
        timeoutMs: 60_000,
        message: 'B got a partition and started a call',
      });
      const waited = b.of('call-start')[0].t - joinedAt;
      // A finishes the call it is in (at most callMs), starts nothing new, rejoins: one call plus the join.
      expect(waited).toBeLessThan(callMs + 6_000);
      await waitFor(() => committedEverything(settings.groupId, topic), {
        timeoutMs: 60_000,
        message: 'all committed',
      });
      const counts = await ledger.counts();
      expect(counts.size).toBe(partitions);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      // No call of A started on its old assignment once the group had moved on without it (B joined, so A's
      // first membership was over): every call it started after that belongs to a later join.
      const bJoinedAt = b.of('state').find((s) => s.joined)?.t ?? Number.POSITIVE_INFINITY;
      expect(a.of('call-start').filter((c) => c.t > bJoinedAt && c.joins === 1)).toEqual([]);
    });
  });

  describe.each(['redis', 'postgres'] as const)('dedup %s', (dedup) => {
    it('a zombie frozen past its session timeout cannot get the new owner evicted, nor apply its record twice', async () => {
      const topic = await oneRecordPerPartition(2);
      const settings = settingsFor(topic, { callMs: 4_000, dedup, sessionMs: 6_000 });
      const a = await startMember(settings, ledger);
      await waitFor(() => a.of('call-start').length > 0, { message: 'A in a call' });
      a.child.signalGroup('SIGSTOP');
      const b = await startMember(settings, ledger);
      await new Promise((r) => setTimeout(r, 14_000)); // past A's session timeout: B owns both partitions
      // B was never evicted while A was frozen (a claim blocked on A's row lock heartbeats and ends at
      // lock_timeout): it is still in the membership it first joined with.
      const bJoins = b.of('state').pop()?.joins;
      a.child.signalGroup('SIGCONT');
      expect(bJoins).toBe(1);
      await waitFor(() => committedEverything(settings.groupId, topic), {
        timeoutMs: 60_000,
        message: 'all committed',
      });
      const counts = await ledger.counts();
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(counts.size).toBe(2);
    });
  });

  it('without dedup a zombie does apply its record twice (what the docs say dedup is for)', async () => {
    const topic = await oneRecordPerPartition(1);
    const settings = settingsFor(topic, { callMs: 4_000, sessionMs: 6_000, callTimeoutMs: 0 });
    const a = await startMember(settings, ledger);
    await waitFor(() => a.of('call-start').length > 0, { message: 'A in a call' });
    a.child.signalGroup('SIGSTOP');
    const b = await startMember(settings, ledger);
    await waitFor(() => b.of('call-end').length > 0, { timeoutMs: 30_000, message: 'B handled the record' });
    a.child.signalGroup('SIGCONT');
    await waitFor(() => a.of('call-end').length > 0, { message: "the zombie's call ended" });
    expect([...(await ledger.counts()).values()]).toEqual([2]);
  });

  it('a call that never settles is given up after callTimeoutMs, and SIGTERM ends the process within shutdownTimeoutMs', async () => {
    const topic = await oneRecordPerPartition(1);
    const settings = settingsFor(topic, { hang: true, callTimeoutMs: 1_500, shutdownMs: 3_000 });
    const a = await startMember(settings, ledger);
    await waitFor(() => a.of('call-start').length >= 2, {
      message: 'the hanging call was given up and retried',
    });
    const stopping = Date.now();
    const exit = await a.child.stop(30_000);
    const tookMs = Date.now() - stopping;
    expect(exit.signal).not.toBe('SIGKILL');
    expect(tookMs).toBeLessThan(3_000 + 8_000);
    expect(await committedEverything(settings.groupId, topic)).toBe(false); // nothing of it was committed
    expect((await ledger.counts()).size).toBe(0);
  });

  it('SIGTERM during an ordinary slow call lets it finish and commit, then exits', async () => {
    const topic = await oneRecordPerPartition(1);
    const settings = settingsFor(topic, { callMs: 2_000 });
    const a = await startMember(settings, ledger);
    await waitFor(() => a.of('call-start').length > 0, { message: 'A in a call' });
    const exit = await a.child.stop(30_000);
    expect(exit.signal).not.toBe('SIGKILL');
    expect(a.of('call-end')).toHaveLength(1);
    expect(await committedEverything(settings.groupId, topic)).toBe(true);
  });
});
