import { Admin, Kafka, logLevel, Producer } from 'kafkajs';
import { ApiKey, EmbeddedKafka, ErrorCode } from '@nrk/embedded-broker';
import { KafkaTarget, requireEmbedded, startKafkaTarget, uniqueName, waitFor } from '../support';
import { startTrackedConsumer, TrackedConsumer } from './support/group-consumer';
import { GroupRawClient, subscription } from './support/group-raw-client';
import {
  OffsetFetchRequestSchema,
  OffsetFetchResponse,
  OffsetFetchResponseSchema,
} from '../../libs/embedded-broker/src/protocol/messages/offset-fetch.schema';

/** Groups on a 3-broker cluster: one coordinator per group, NOT_COORDINATOR elsewhere, and coordinator failover. */
describe('consumer groups: coordinators on a 3-broker cluster', () => {
  let target: KafkaTarget;
  let embedded: EmbeddedKafka;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const consumers: TrackedConsumer[] = [];
  const raw: GroupRawClient[] = [];

  async function open(brokerId: number): Promise<GroupRawClient> {
    const b = embedded.cluster.brokers.get(brokerId);
    if (!b) throw new Error(`no broker ${brokerId}`);
    const c = await GroupRawClient.open(`${b.host}:${b.port}`);
    raw.push(c);
    return c;
  }

  async function committed(groupId: string, topic: string): Promise<string[]> {
    const [o] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return o.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset);
  }

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 3, faults: true });
    embedded = requireEmbedded(target);
    kafka = new Kafka({
      brokers: target.brokers,
      logLevel: logLevel.NOTHING,
      clientId: 'groups-failover',
      retry: { retries: 8, initialRetryTime: 100 },
    });
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    for (const c of consumers) await c.consumer.disconnect();
    for (const r of raw) r.close();
    await producer?.disconnect();
    await admin?.disconnect();
    await target?.stop();
  });

  it('answers group requests only on the coordinator; other brokers say NOT_COORDINATOR', async () => {
    const groupId = uniqueName('g-coord');
    const coordinatorId = embedded.coordinators.coordinatorFor(groupId);
    const others = [0, 1, 2].filter((id) => id !== coordinatorId);
    for (const id of [0, 1, 2]) {
      const c = await open(id);
      const found = await c.findCoordinator(groupId);
      expect(found).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: coordinatorId });
      const v0 = await c.findCoordinator(groupId, 0);
      expect(v0.nodeId).toBe(coordinatorId);
    }
    const wrong = await open(others[0]);
    const protocols = [{ name: 'RoundRobinAssigner', metadata: subscription(['t']) }];
    expect((await wrong.joinGroup(5, { groupId, protocols })).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect((await wrong.heartbeat(3, groupId, 1, 'm')).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    const commit = await wrong.offsetCommit(2, {
      groupId,
      generationId: -1,
      memberId: '',
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1, commitTimestamp: -1, committedMetadata: null },
          ],
        },
      ],
    });
    expect(commit.topics[0].partitions[0].errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    const fetchV1 = await wrong.call<OffsetFetchResponse>(
      ApiKey.OffsetFetch,
      1,
      OffsetFetchRequestSchema,
      OffsetFetchResponseSchema,
      {
        groupId,
        topics: [{ name: 't', partitionIndexes: [0] }],
      },
    );
    expect(fetchV1.topics[0].partitions[0].errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    const fetchV4 = await wrong.call<OffsetFetchResponse>(
      ApiKey.OffsetFetch,
      4,
      OffsetFetchRequestSchema,
      OffsetFetchResponseSchema,
      {
        groupId,
        topics: null,
      },
    );
    expect(fetchV4.errorCode).toBe(ErrorCode.NOT_COORDINATOR);

    const right = await open(coordinatorId);
    const first = await right.joinGroup(5, { groupId, protocols });
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  });

  it('keeps the group working and its committed offsets when the coordinator broker dies', async () => {
    const topic = uniqueName('groups-failover');
    const groupId = uniqueName('g-failover');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 3 }] });
    const c = await startTrackedConsumer(kafka, topic, { groupId, sessionTimeout: 6_000 });
    consumers.push(c);
    const before = Array.from({ length: 10 }, (_, i) => `before-${i}`);
    await producer.send({ topic, messages: before.map((value, i) => ({ value, partition: i % 2 })) });
    await waitFor(async () => (await committed(groupId, topic)).join() === '5,5', {
      message: 'offsets 5,5 committed',
    });

    const coordinatorId = embedded.coordinators.coordinatorFor(groupId);
    await embedded.faults.killBroker(coordinatorId);
    expect(embedded.coordinators.coordinatorFor(groupId)).not.toBe(coordinatorId);
    expect(await committed(groupId, topic)).toEqual(['5', '5']);

    const after = Array.from({ length: 10 }, (_, i) => `after-${i}`);
    await producer.send({ topic, messages: after.map((value, i) => ({ value, partition: i % 2 })) });
    await waitFor(() => new Set(c.received.map((m) => m.value)).size >= 20, {
      timeoutMs: 30_000,
      message: () => `received ${new Set(c.received.map((m) => m.value)).size}/20`,
    });
    expect([...new Set(c.received.map((m) => m.value))].sort()).toEqual([...before, ...after].sort());
    await waitFor(async () => (await committed(groupId, topic)).join() === '10,10', {
      timeoutMs: 30_000,
      message: 'offsets 10,10 committed',
    });
    // kafkajs may restart its consumer after the coordinator's death (a new member id); the group settles on it.
    await waitFor(
      async () => {
        const group = (await admin.describeGroups([groupId])).groups[0];
        return (
          group.state === 'Stable' && group.members.length === 1 && group.members[0].memberId === c.memberId()
        );
      },
      { timeoutMs: 30_000, message: 'group stable with the one live consumer' },
    );
  });
});
