import { Admin, Kafka, logLevel, Producer } from 'kafkajs';
import { ApiKey, EmbeddedKafka, ErrorCode } from '@nrk/embedded-broker';
import { uniqueName, waitFor } from '../support';
import { readTopic } from './support/read-topic';
import { RawConnection } from './support/raw-connection';

interface PartitionMeta {
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

describe('embedded broker: request faults and broker faults', () => {
  let cluster: EmbeddedKafka;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    cluster = await EmbeddedKafka.start({ brokers: 3, settings: { replicaLagTimeMaxMs: 500 } });
    kafka = new Kafka({
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
      requestTimeout: 3000,
      retry: { retries: 8, initialRetryTime: 50, maxRetryTime: 500 },
    });
    admin = kafka.admin();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterEach(() => cluster.faults.clear());

  afterAll(async () => {
    await Promise.allSettled([producer?.disconnect(), admin?.disconnect()]);
    await cluster?.stop();
  });

  async function partitions(topic: string): Promise<PartitionMeta[]> {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    return meta.topics[0].partitions.sort((a, b) => a.partitionId - b.partitionId);
  }

  /**
   * Broker ids in a Metadata answer of a broker other than `notFrom`, asked about `topic` only (kafkajs'
   * describeCluster asks about all topics and fails when any partition is offline, e.g. replication-factor-1
   * topics of earlier tests that lived on a killed broker).
   */
  async function brokersListed(notFrom: number, topic: string): Promise<number[]> {
    const conn = await RawConnection.open(cluster.bootstrapServers[(notFrom + 1) % 3]);
    try {
      const meta = await conn.request<{ brokers: Array<{ nodeId: number }> }>('Metadata', 4, {
        topics: [topic],
        allowAutoTopicCreation: false,
      });
      return meta.brokers.map((b) => b.nodeId).sort();
    } finally {
      conn.close();
    }
  }

  async function topicWithRf3(partitionCount = 3): Promise<string> {
    const topic = uniqueName('faults');
    await admin.createTopics({ topics: [{ topic, numPartitions: partitionCount, replicationFactor: 3 }] });
    return topic;
  }

  it('failNext answers the next N requests of an API with the chosen error, then requests succeed', async () => {
    const topic = await topicWithRf3(1);
    cluster.faults.failNext({
      apiKey: ApiKey.Produce,
      errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
      count: 3,
    });
    await producer.send({ topic, acks: -1, messages: [{ value: 'through three failures' }] });
    expect(cluster.faults.requests.pending()).toBe(0);
    // The failed attempts were not applied: the message is stored once.
    expect((await readTopic(cluster.bootstrapServers, topic)).map((r) => r.value)).toEqual([
      'through three failures',
    ]);

    const impatient = kafka.producer({ retry: { retries: 0 } });
    await impatient.connect();
    try {
      cluster.faults.failNext({ apiKey: ApiKey.Produce, errorCode: ErrorCode.NOT_ENOUGH_REPLICAS });
      await expect(impatient.send({ topic, messages: [{ value: 'refused' }] })).rejects.toThrow(
        'fewer in-sync replicas than required',
      );
      await impatient.send({ topic, messages: [{ value: 'accepted' }] });
    } finally {
      await impatient.disconnect();
    }
    expect((await readTopic(cluster.bootstrapServers, topic)).map((r) => r.value)).toEqual([
      'through three failures',
      'accepted',
    ]);
  });

  it('failNext with a broker id affects only requests received by that broker', async () => {
    cluster.faults.failNext({
      apiKey: ApiKey.Metadata,
      errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
      brokerId: 1,
    });
    const on0 = await RawConnection.open(cluster.bootstrapServers[0]);
    const on1 = await RawConnection.open(cluster.bootstrapServers[1]);
    try {
      type Meta = { brokers: unknown[]; topicMetadata: Array<{ topicErrorCode: number }> };
      const topic = { topics: [uniqueName('faults-meta')], allowAutoTopicCreation: false };
      const fine = await on0.request<Meta>('Metadata', 4, topic);
      expect(fine.brokers).toHaveLength(3);
      expect(cluster.faults.requests.pending()).toBe(1);
      const failed = await on1.request<Meta>('Metadata', 4, topic);
      expect(failed.topicMetadata[0].topicErrorCode).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
      expect(cluster.faults.requests.pending()).toBe(0);
      expect((await on1.request<Meta>('Metadata', 4, topic)).topicMetadata[0].topicErrorCode).toBe(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      );
    } finally {
      on0.close();
      on1.close();
    }
  });

  it('delayResponses applies the request at once but holds the response back', async () => {
    const topic = uniqueName('faults-delay');
    cluster.faults.delayResponses({ apiKey: ApiKey.CreateTopics, ms: 700 });
    const conn = await RawConnection.open(cluster.bootstrapServers[0]);
    try {
      const body = await RawConnection.encodeBody('CreateTopics', 1, {
        topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
        timeout: 1000,
      });
      conn.write(RawConnection.frame(ApiKey.CreateTopics, 1, 5, body));
      await waitFor(() => cluster.cluster.topics.has(topic), {
        message: 'topic created before the delayed response',
      });
      await expect(conn.nextFrame(200)).rejects.toThrow('no response frame');
      const res = await conn.nextFrame(5000);
      expect(res?.readInt32BE(0)).toBe(5);
    } finally {
      conn.close();
    }
  });

  it('dropResponses applies the produce and loses the ack: a plain producer retries and duplicates, an idempotent one does not', async () => {
    const topic = await topicWithRf3(1);
    const plain = kafka.producer({ idempotent: false, retry: { retries: 5, initialRetryTime: 50 } });
    await plain.connect();
    try {
      cluster.faults.dropResponses({ apiKey: ApiKey.Produce });
      await plain.send({ topic, acks: -1, messages: [{ value: 'plain' }] });
    } finally {
      await plain.disconnect();
    }
    expect(cluster.faults.requests.pending()).toBe(0);
    cluster.faults.dropResponses({ apiKey: ApiKey.Produce });
    await producer.send({ topic, acks: -1, messages: [{ value: 'idempotent' }] });
    expect(cluster.faults.requests.pending()).toBe(0);
    // The lost ack made both retry; only the idempotent producer's retry was recognised as a duplicate.
    expect((await readTopic(cluster.bootstrapServers, topic)).map((r) => r.value)).toEqual([
      'plain',
      'plain',
      'idempotent',
    ]);
  });

  it('closeConnections: kafkajs reconnects and carries on producing and consuming', async () => {
    const topic = await topicWithRf3(2);
    const consumer = kafka.consumer({ groupId: uniqueName('faults-close'), maxWaitTimeInMs: 100 });
    const seen = new Set<string>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.add(String(message.value)) });
      await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: 'before' }] });
      await waitFor(() => seen.has('before'));
      cluster.faults.closeConnections();
      await producer.send({ topic, acks: -1, messages: [{ key: 'b', value: 'after-all' }] });
      cluster.faults.closeConnections(0);
      await producer.send({ topic, acks: -1, messages: [{ key: 'c', value: 'after-one' }] });
      await waitFor(() => seen.has('after-all') && seen.has('after-one'), {
        message: () => `seen ${[...seen]}`,
      });
    } finally {
      await consumer.disconnect();
    }
  });

  it('killBroker: metadata drops the broker, leaders move to other ISR members; restartBroker: it rejoins the ISR', async () => {
    const topic = await topicWithRf3(3);
    await producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((p) => ({ partition: p, value: `before-${p}` })),
    });
    const before = await partitions(topic);
    const victim = before[0].leader;

    await cluster.faults.killBroker(victim);
    try {
      const nodes = await brokersListed(victim, topic);
      expect(nodes).not.toContain(victim);
      expect(nodes).toHaveLength(2);
      const during = await waitFor(() => partitions(topic));
      for (const p of during) {
        const old = before[p.partitionId];
        expect(p.leader).not.toBe(victim);
        expect(old.isr).toContain(p.leader);
        expect(p.isr).not.toContain(victim);
      }
      // Still writable (acks=-1 with the two remaining ISR members).
      await producer.send({
        topic,
        acks: -1,
        messages: [0, 1, 2].map((p) => ({ partition: p, value: `during-${p}` })),
      });
    } finally {
      await cluster.faults.restartBroker(victim);
    }
    expect(await brokersListed(victim, topic)).toEqual([0, 1, 2]);
    await waitFor(async () => (await partitions(topic)).every((p) => p.isr.length === 3), {
      message: 'restarted broker back in every ISR',
    });
    for (let i = 0; i < 3; i++) {
      const p = cluster.cluster.partition(topic, i);
      expect(p?.logs.get(victim)?.logEndOffset).toBe(p?.logEndOffset);
    }
    const values = (await readTopic(cluster.bootstrapServers, topic)).map((r) => r.value).sort();
    expect(values).toEqual(['before-0', 'before-1', 'before-2', 'during-0', 'during-1', 'during-2']);
  });

  it('stopBroker moves leadership to in-sync replicas before the broker goes away', async () => {
    const topic = await topicWithRf3(3);
    await producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((p) => ({ partition: p, value: `m-${p}` })),
    });
    const victim = (await partitions(topic))[1].leader;
    const hwBefore = [0, 1, 2].map((i) => cluster.cluster.partition(topic, i)?.highWatermark);
    await cluster.faults.stopBroker(victim);
    try {
      const during = await waitFor(() => partitions(topic));
      for (const p of during) {
        expect(p.leader).not.toBe(victim);
        expect(p.leader).toBeGreaterThanOrEqual(0);
      }
      // Nothing acknowledged was lost by the move.
      expect([0, 1, 2].map((i) => cluster.cluster.partition(topic, i)?.highWatermark)).toEqual(hwBefore);
      await producer.send({ topic, acks: -1, messages: [{ partition: 1, value: 'after-stop' }] });
    } finally {
      await cluster.faults.restartBroker(victim);
    }
    const values = (await readTopic(cluster.bootstrapServers, topic)).map((r) => r.value).sort();
    expect(values).toEqual(['after-stop', 'm-0', 'm-1', 'm-2']);
  });

  it('fault methods refuse unknown brokers and partitions instead of silently doing nothing', async () => {
    const topic = await topicWithRf3(1);
    await expect(cluster.faults.killBroker(7)).rejects.toThrow('no broker 7');
    expect(() =>
      cluster.faults.failNext({ apiKey: ApiKey.Produce, errorCode: ErrorCode.NONE, brokerId: 9 }),
    ).toThrow('no broker 9');
    expect(() => cluster.faults.isolateFollower(topic, 4, 1)).toThrow(`unknown partition ${topic}-4`);
    expect(() => cluster.faults.moveLeader(topic, 0, 5)).toThrow('not in the ISR');
    expect(() => cluster.faults.setReplicationLag(5, 10)).toThrow('no broker 5');
  });
});
