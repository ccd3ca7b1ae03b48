import { Admin, Kafka, logLevel, Producer } from 'kafkajs';
import { ErrorCode } from '@nrk/embedded-broker';
import { KafkaTarget, startKafkaTarget, uniqueName, waitFor } from '../support';
import { splitsAll, startTrackedConsumer, TrackedConsumer } from './support/group-consumer';
import { decodeAssignment, GroupRawClient, subscription } from './support/group-raw-client';

/** Consumer groups as kafkajs uses them: partition split, rebalances, offsets with metadata, group admin. */
describe('consumer groups with kafkajs', () => {
  let target: KafkaTarget;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const consumers: TrackedConsumer[] = [];
  const rawClients: GroupRawClient[] = [];

  async function consumer(topic: string, groupId: string): Promise<TrackedConsumer> {
    const c = await startTrackedConsumer(kafka, topic, { groupId });
    consumers.push(c);
    return c;
  }

  async function topicWith(partitions: number): Promise<string> {
    const topic = uniqueName('groups');
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
    return topic;
  }

  /** `count` messages spread round-robin over `partitions`, values `${prefix}-${i}`. */
  async function produce(
    topic: string,
    partitions: number,
    count: number,
    prefix: string,
  ): Promise<string[]> {
    const values = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    await producer.send({
      topic,
      messages: values.map((value, i) => ({ value, partition: i % partitions })),
    });
    return values;
  }

  const values = (cs: readonly TrackedConsumer[]) => cs.flatMap((c) => c.received.map((m) => m.value));

  beforeAll(async () => {
    target = await startKafkaTarget();
    kafka = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING, clientId: 'groups-e2e' });
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    for (const c of consumers) await c.stop();
    for (const r of rawClients) r.close();
    await producer?.disconnect();
    await admin?.disconnect();
    await target?.stop();
  });

  it('splits the partitions between two consumers, which together receive every message once', async () => {
    const topic = await topicWith(4);
    const groupId = uniqueName('g-split');
    const a = await consumer(topic, groupId);
    const b = await consumer(topic, groupId);
    await waitFor(() => splitsAll([a, b], 4), {
      message: () => `assignments a=${a.assigned()} b=${b.assigned()}`,
    });
    expect(a.assigned()).toHaveLength(2);

    const sent = await produce(topic, 4, 40, 'split');
    await waitFor(() => values([a, b]).length >= 40, {
      message: () => `received ${values([a, b]).length}/40`,
    });
    expect(values([a, b]).sort()).toEqual([...sent].sort());
    for (const c of [a, b]) {
      expect(c.received.length).toBeGreaterThan(0);
      for (const m of c.received) expect(c.assigned()).toContain(m.partition);
    }
    await Promise.all([a.stop(), b.stop()]);
  });

  it('rebalances when a third consumer joins and redistributes the partitions', async () => {
    const topic = await topicWith(4);
    const groupId = uniqueName('g-third');
    const a = await consumer(topic, groupId);
    const b = await consumer(topic, groupId);
    await waitFor(() => splitsAll([a, b], 4));
    const c = await consumer(topic, groupId);
    await waitFor(() => splitsAll([a, b, c], 4), {
      message: () => `assignments a=${a.assigned()} b=${b.assigned()} c=${c.assigned()}`,
    });
    const group = await waitFor(async () => {
      const d = (await admin.describeGroups([groupId])).groups[0];
      return d.state === 'Stable' && d.members.length === 3 ? d : null;
    });
    expect(group.protocol).toBe('RoundRobinAssigner');
    expect(group.members.map((m) => m.memberId).sort()).toEqual([a, b, c].map((x) => x.memberId()).sort());

    const sent = await produce(topic, 4, 40, 'third');
    await waitFor(() => values([a, b, c]).length >= 40, {
      message: () => `received ${values([a, b, c]).length}/40`,
    });
    expect(values([a, b, c]).sort()).toEqual([...sent].sort());
    expect(c.received.length).toBeGreaterThan(0);
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  });

  it('expires a member that stops heartbeating and gives its partitions to the survivor', async () => {
    const topic = await topicWith(4);
    const groupId = uniqueName('g-expire');
    const survivor = await consumer(topic, groupId);
    await waitFor(() => survivor.assigned().length === 4);

    // A second member that joins like a consumer, takes its share, then goes silent (a hung process).
    const bootstrap = await GroupRawClient.open(target.brokers[0]);
    rawClients.push(bootstrap);
    const coordinator = await bootstrap.findCoordinator(groupId);
    const silent = await GroupRawClient.open(`${coordinator.host}:${coordinator.port}`, 'silent-member');
    rawClients.push(silent);
    const protocols = [{ name: 'RoundRobinAssigner', metadata: subscription([topic]) }];
    // 6 s: Kafka's default group.min.session.timeout.ms, so this also runs against a real cluster.
    const timeouts = { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 30_000 };
    const { memberId } = await silent.joinGroup(5, { groupId, protocols, ...timeouts });
    const joined = await silent.joinGroup(5, { groupId, memberId, protocols, ...timeouts });
    expect(joined.errorCode).toBe(ErrorCode.NONE);
    const synced = await silent.syncGroup(3, {
      groupId,
      generationId: joined.generationId,
      memberId,
      assignments: [],
    });
    expect(synced.errorCode).toBe(ErrorCode.NONE);
    const taken = decodeAssignment(synced.assignment)[topic] ?? [];
    expect(taken).toHaveLength(2);
    await waitFor(() => survivor.assigned().length === 2);
    expect([...survivor.assigned(), ...taken].sort()).toEqual([0, 1, 2, 3]);

    await waitFor(() => survivor.assigned().length === 4, {
      message: () => `survivor has ${survivor.assigned()}`,
    });
    const described = (await admin.describeGroups([groupId])).groups[0];
    expect(described.members.map((m) => m.memberId)).toEqual([survivor.memberId()]);
    const hb = await silent.heartbeat(3, groupId, joined.generationId, memberId);
    expect(hb.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const sent = await produce(topic, 4, 8, 'expire');
    await waitFor(() => survivor.received.length >= 8);
    expect(values([survivor]).sort()).toEqual([...sent].sort());
    await survivor.stop();
  });

  it('keeps committed offsets with their metadata, and a restarted consumer resumes from them', async () => {
    const topic = await topicWith(1);
    const groupId = uniqueName('g-commit');
    await produce(topic, 1, 10, 'resume');
    const first = kafka.consumer({ groupId, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
    let committed = false;
    await first.connect();
    await first.subscribe({ topic, fromBeginning: true });
    await first.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (message.offset === '4' && !committed) {
          await first.commitOffsets([{ topic, partition: 0, offset: '5', metadata: 'checkpoint-after-4' }]);
          committed = true;
        }
      },
    });
    await waitFor(() => committed);
    await first.disconnect();

    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets.partitions).toEqual([{ partition: 0, offset: '5', metadata: 'checkpoint-after-4' }]);

    const second = await consumer(topic, groupId);
    await waitFor(() => second.received.length >= 5);
    expect(second.received.map((m) => m.offset)).toEqual(['5', '6', '7', '8', '9']);
    await second.stop();
  });

  it('lists, describes and deletes groups', async () => {
    const topic = await topicWith(2);
    const groupId = uniqueName('g-admin');
    await produce(topic, 2, 4, 'admin');
    const c = await consumer(topic, groupId);
    await waitFor(() => c.received.length >= 4);

    const listed = await admin.listGroups();
    expect(listed.groups).toContainEqual({ groupId, protocolType: 'consumer' });
    const running = (await admin.describeGroups([groupId])).groups[0];
    expect(running).toMatchObject({
      groupId,
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
    });
    expect(running.members).toHaveLength(1);
    expect(running.members[0].memberId).toBe(c.memberId());
    expect(running.members[0].clientId).toBe('groups-e2e');
    expect(running.members[0].memberAssignment.length).toBeGreaterThan(0);

    await expect(admin.deleteGroups([groupId])).rejects.toMatchObject({
      groups: [expect.objectContaining({ groupId, errorCode: ErrorCode.NON_EMPTY_GROUP })],
    });

    await waitFor(async () => {
      const [o] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return o.partitions.every((p) => p.offset === '2');
    });
    await c.stop();
    const empty = (await admin.describeGroups([groupId])).groups[0];
    expect(empty).toMatchObject({ state: 'Empty', members: [] });

    expect(await admin.deleteGroups([groupId])).toEqual([
      expect.objectContaining({ groupId, errorCode: ErrorCode.NONE }),
    ]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
    expect((await admin.describeGroups([groupId])).groups[0].state).toBe('Dead');
    const [gone] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(gone.partitions.map((p) => p.offset)).toEqual(['-1', '-1']);
    await expect(admin.deleteGroups([groupId])).rejects.toMatchObject({
      groups: [expect.objectContaining({ groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND })],
    });
  });
});
