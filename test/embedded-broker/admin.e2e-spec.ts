import { Admin, Kafka, logLevel } from 'kafkajs';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { uniqueName } from '../support';
import { RawConnection } from './support/raw-connection';

/** The error type kafkajs reports for the first failed topic of a CreateTopics call. */
async function createError(
  admin: Admin,
  topic: Parameters<Admin['createTopics']>[0]['topics'][number],
  validateOnly = false,
): Promise<string> {
  try {
    await admin.createTopics({ topics: [topic], validateOnly, waitForLeaders: false });
  } catch (e) {
    const err = e as { errors?: Array<{ type?: string }>; type?: string };
    return err.errors?.[0]?.type ?? err.type ?? String(e);
  }
  return 'NONE';
}

describe('embedded broker: topic admin (CreateTopics, DeleteTopics, CreatePartitions)', () => {
  let cluster: EmbeddedKafka;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await EmbeddedKafka.start({ brokers: 3 });
    const kafka = new Kafka({
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
    });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  it('forgets committed offsets of a deleted topic, so a re-created one starts fresh', async () => {
    const topic = uniqueName('admin-recreate');
    const groupId = uniqueName('admin-recreate-g');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] });
    const committed = async () =>
      (await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions[0].offset;
    expect(await committed()).toBe('0');
    await admin.deleteTopics({ topics: [topic] });
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    expect(await committed()).toBe('-1');
  });

  it('creates a topic with partitions, replication factor and configs', async () => {
    const topic = uniqueName('admin-create');
    const created = await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 4,
          replicationFactor: 3,
          configEntries: [
            { name: 'min.insync.replicas', value: '2' },
            { name: 'unclean.leader.election.enable', value: 'true' },
            { name: 'retention.ms', value: '3600000' },
            { name: 'retention.bytes', value: '1048576' },
          ],
        },
      ],
    });
    expect(created).toBe(true);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = meta.topics[0].partitions.sort((a, b) => a.partitionId - b.partitionId);
    expect(partitions).toHaveLength(4);
    for (const p of partitions) {
      expect([...p.replicas].sort()).toEqual([0, 1, 2]);
      expect([...p.isr].sort()).toEqual([0, 1, 2]);
      expect(p.replicas).toContain(p.leader);
    }
    // Leaders are spread over the brokers, as Kafka's assignor does.
    expect(new Set(partitions.map((p) => p.leader)).size).toBe(3);
    const t = cluster.cluster.topics.get(topic);
    expect(t?.config.get('min.insync.replicas')).toBe('2');
    expect(t?.config.bool('unclean.leader.election.enable')).toBe(true);
    expect(t?.config.number('retention.ms')).toBe(3600000);
    expect(t?.config.number('retention.bytes')).toBe(1048576);
  });

  it('uses the broker defaults when partitions and replication factor are left out (-1)', async () => {
    const topic = uniqueName('admin-defaults');
    await admin.createTopics({ topics: [{ topic }] });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(cluster.cluster.settings.defaultPartitions);
    expect(meta.topics[0].partitions[0].replicas).toHaveLength(
      cluster.cluster.settings.defaultReplicationFactor,
    );
  });

  it('honours an explicit replica assignment', async () => {
    const topic = uniqueName('admin-assign');
    await admin.createTopics({
      topics: [
        {
          topic,
          replicaAssignment: [
            { partition: 0, replicas: [2, 0] },
            { partition: 1, replicas: [1, 2] },
          ],
        },
      ],
    });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const byId = new Map(meta.topics[0].partitions.map((p) => [p.partitionId, p]));
    expect(byId.get(0)?.replicas).toEqual([2, 0]);
    expect(byId.get(0)?.leader).toBe(2);
    expect(byId.get(1)?.replicas).toEqual([1, 2]);
    expect(byId.get(1)?.leader).toBe(1);
  });

  it('answers TOPIC_ALREADY_EXISTS (kafkajs returns false)', async () => {
    const topic = uniqueName('admin-exists');
    expect(await admin.createTopics({ topics: [{ topic }] })).toBe(true);
    // kafkajs turns TOPIC_ALREADY_EXISTS (and only that error) into `false`.
    expect(await admin.createTopics({ topics: [{ topic }] })).toBe(false);
  });

  it('rejects a replication factor larger than the live brokers with INVALID_REPLICATION_FACTOR', async () => {
    expect(await createError(admin, { topic: uniqueName('admin-rf'), replicationFactor: 4 })).toBe(
      'INVALID_REPLICATION_FACTOR',
    );
  });

  it('counts only live brokers for the replication factor', async () => {
    await cluster.faults.killBroker(2);
    // A client that never talked to broker 2 (the shared one may hold a closed connection to it, which kafkajs'
    // admin reports instead of retrying).
    const fresh = new Kafka({ brokers: [cluster.bootstrapServers[0]], logLevel: logLevel.NOTHING }).admin();
    try {
      await fresh.connect();
      expect(await createError(fresh, { topic: uniqueName('admin-rf-down'), replicationFactor: 3 })).toBe(
        'INVALID_REPLICATION_FACTOR',
      );
    } finally {
      await fresh.disconnect();
      await cluster.faults.restartBroker(2);
    }
    expect(await createError(admin, { topic: uniqueName('admin-rf-up'), replicationFactor: 3 })).toBe('NONE');
  });

  it('rejects non-positive partition counts and replication factors', async () => {
    expect(await createError(admin, { topic: uniqueName('admin-p0'), numPartitions: 0 })).toBe(
      'INVALID_PARTITIONS',
    );
    expect(await createError(admin, { topic: uniqueName('admin-rf0'), replicationFactor: 0 })).toBe(
      'INVALID_REPLICATION_FACTOR',
    );
  });

  it('rejects illegal topic names with INVALID_TOPIC_EXCEPTION', async () => {
    expect(await createError(admin, { topic: 'has a space' })).toBe('INVALID_TOPIC_EXCEPTION');
    expect(await createError(admin, { topic: '..' })).toBe('INVALID_TOPIC_EXCEPTION');
    expect(await createError(admin, { topic: 'x'.repeat(250) })).toBe('INVALID_TOPIC_EXCEPTION');
  });

  it('rejects unknown configs and invalid config values with INVALID_CONFIG', async () => {
    const cfg = (name: string, value: string) => ({
      topic: uniqueName('admin-cfg'),
      configEntries: [{ name, value }],
    });
    expect(await createError(admin, cfg('no.such.config', '1'))).toBe('INVALID_CONFIG');
    expect(await createError(admin, cfg('min.insync.replicas', '0'))).toBe('INVALID_CONFIG');
    expect(await createError(admin, cfg('min.insync.replicas', 'two'))).toBe('INVALID_CONFIG');
    expect(await createError(admin, cfg('unclean.leader.election.enable', 'yes'))).toBe('INVALID_CONFIG');
    expect(await createError(admin, cfg('retention.ms', '-5'))).toBe('INVALID_CONFIG');
    expect(await createError(admin, cfg('cleanup.policy', 'shred'))).toBe('INVALID_CONFIG');
  });

  it('accepts min.insync.replicas larger than the replication factor, as Kafka does (produce with acks=-1 then fails)', async () => {
    const topic = uniqueName('admin-minisr');
    expect(
      await createError(admin, {
        topic,
        replicationFactor: 1,
        configEntries: [{ name: 'min.insync.replicas', value: '3' }],
      }),
    ).toBe('NONE');
    expect(cluster.cluster.topics.get(topic)?.config.get('min.insync.replicas')).toBe('3');
    const producer = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING }).producer({
      retry: { retries: 0 },
    });
    await producer.connect();
    try {
      await expect(producer.send({ topic, acks: -1, messages: [{ value: 'x' }] })).rejects.toThrow(
        'fewer in-sync replicas than required',
      );
    } finally {
      await producer.disconnect();
    }
  });

  it('reports error messages from v1 on, none in v0, and refuses duplicate names with INVALID_REQUEST', async () => {
    type Res = { topicErrors: Array<{ topic: string; errorCode: number; errorMessage?: string | null }> };
    const conn = await RawConnection.open(cluster.bootstrapServers[1]);
    try {
      const big = { topic: uniqueName('admin-raw'), numPartitions: 1, replicationFactor: 5 };
      const v0 = await conn.request<Res>('CreateTopics', 0, { topics: [big], timeout: 1000 });
      expect(v0.topicErrors).toEqual([{ topic: big.topic, errorCode: 38 }]);
      const v1 = await conn.request<Res>('CreateTopics', 1, { topics: [big], timeout: 1000 });
      expect(v1.topicErrors[0]).toEqual({
        topic: big.topic,
        errorCode: 38,
        errorMessage: 'Replication factor: 5 larger than available brokers: 3.',
      });
      const dup = uniqueName('admin-dup');
      const both = await conn.request<Res>('CreateTopics', 2, {
        topics: [{ topic: dup }, { topic: dup }],
        timeout: 1000,
      });
      expect(both.topicErrors.map((t) => t.errorCode)).toEqual([42, 42]);
      expect(cluster.cluster.topics.has(dup)).toBe(false);
      const ok = await conn.request<Res>('CreateTopics', 3, { topics: [{ topic: dup }], timeout: 1000 });
      expect(ok.topicErrors).toEqual([{ topic: dup, errorCode: 0, errorMessage: null }]);
    } finally {
      conn.close();
    }
  });

  it('validateOnly checks everything but creates nothing', async () => {
    const topic = uniqueName('admin-validate');
    expect(await createError(admin, { topic, numPartitions: 2 }, true)).toBe('NONE');
    expect(cluster.cluster.topics.has(topic)).toBe(false);
    expect(await createError(admin, { topic, replicationFactor: 9 }, true)).toBe(
      'INVALID_REPLICATION_FACTOR',
    );
    expect((await admin.listTopics()).includes(topic)).toBe(false);
  });

  it('deletes topics; deleting an unknown topic fails with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const topic = uniqueName('admin-delete');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    expect(await admin.listTopics()).toContain(topic);
    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
    // kafkajs retries UNKNOWN_TOPIC_OR_PARTITION, then gives up with its message.
    await expect(admin.deleteTopics({ topics: [topic] })).rejects.toThrow(
      'This server does not host this topic-partition',
    );
    // The name is free again.
    expect(await admin.createTopics({ topics: [{ topic }] })).toBe(true);
  });

  it('adds partitions with CreatePartitions and refuses to shrink or keep the count', async () => {
    const topic = uniqueName('admin-partitions');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 2 }] });
    await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const p of meta.topics[0].partitions) expect(p.replicas).toHaveLength(2);
    await expect(admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] })).rejects.toMatchObject({
      type: 'INVALID_PARTITIONS',
    });
    await expect(admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] })).rejects.toMatchObject({
      type: 'INVALID_PARTITIONS',
    });
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic: uniqueName('admin-nope'), count: 5 }] }),
    ).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('places new partitions as assigned, and validateOnly adds none', async () => {
    const topic = uniqueName('admin-partitions-assign');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 2 }] });
    await admin.createPartitions({ topicPartitions: [{ topic, count: 2, assignments: [[2, 1]] }] });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions.find((p) => p.partitionId === 1)?.replicas).toEqual([2, 1]);
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic, count: 3, assignments: [[2]] }] }),
    ).rejects.toMatchObject({
      type: 'INVALID_REPLICA_ASSIGNMENT',
    });
    await admin.createPartitions({ validateOnly: true, topicPartitions: [{ topic, count: 4 }] });
    expect(cluster.cluster.topics.get(topic)?.partitions).toHaveLength(2);
  });
});

describe('embedded broker: auto-creation on metadata', () => {
  it('creates a topic a producer writes to when auto-creation is on, with the default partition count', async () => {
    const cluster = await EmbeddedKafka.start({ brokers: 1, settings: { defaultPartitions: 3 } });
    const kafka = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    try {
      await admin.connect();
      await producer.connect();
      const topic = uniqueName('auto-on');
      await producer.send({ topic, messages: [{ value: 'x' }] });
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0].partitions).toHaveLength(3);
      expect(await admin.listTopics()).toContain(topic);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
      await cluster.stop();
    }
  });

  it('does not create topics when settings.autoCreateTopics is false', async () => {
    const cluster = await EmbeddedKafka.start({ brokers: 1, settings: { autoCreateTopics: false } });
    const kafka = new Kafka({
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } });
    try {
      await admin.connect();
      await producer.connect();
      const topic = uniqueName('auto-off');
      await expect(admin.fetchTopicMetadata({ topics: [topic] })).rejects.toMatchObject({
        type: 'UNKNOWN_TOPIC_OR_PARTITION',
      });
      await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toThrow();
      expect(await admin.listTopics()).not.toContain(topic);
      expect(cluster.cluster.topics.has(topic)).toBe(false);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
      await cluster.stop();
    }
  });
});
