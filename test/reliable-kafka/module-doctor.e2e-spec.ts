import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Kafka, logLevel, ConfigResourceTypes } from 'kafkajs';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { ReliableBatchHandler, ReliableKafkaModule, UnsafeTopicConfigError } from 'nestjs-reliable-kafka';
import { uniqueName } from '../support';
import { startApp } from './consumer-test-harness';

jest.setTimeout(60_000);

/**
 * The doctor and topic provisioning as the module runs them at startup, before any consumer connects. They read
 * and create topics on a 3-broker cluster, so these tests bring their own embedded cluster.
 */
describe('ReliableKafkaModule startup checks (doctor, provisioning)', () => {
  let cluster: EmbeddedKafka;
  let kafka: Kafka;
  const apps: TestingModule[] = [];

  beforeAll(async () => {
    cluster = await EmbeddedKafka.start({ brokers: 3 });
    kafka = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING });
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await cluster.stop();
  });

  function consumerOn(topic: string, retryDelaysMs?: number[]) {
    const retryTopics = retryDelaysMs ? { delaysMs: retryDelaysMs } : undefined;
    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId: uniqueName('doctor-g'), retryTopics })
      async handle(): Promise<void> {}
    }
    return Consumer;
  }

  async function start(
    options: Parameters<typeof ReliableKafkaModule.forRoot>[0],
    topic: string,
    retryDelaysMs?: number[],
  ) {
    const app = await startApp(ReliableKafkaModule.forRoot(options), {
      providers: [consumerOn(topic, retryDelaysMs)],
    });
    apps.push(app);
    return app;
  }

  it("mode 'fail' refuses to start on a topic that can lose data, naming the topic, the setting and the fix", async () => {
    const topic = uniqueName('doctor-unsafe');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    const client = { clientId: 'doctor-fail', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING };
    const failure = start({ client, doctor: { mode: 'fail' } }, topic);
    await expect(failure).rejects.toBeInstanceOf(UnsafeTopicConfigError);
    await expect(failure).rejects.toThrow(new RegExp(`${topic}[\\s\\S]*replication`, 'i'));
    // Nothing consumed: the group never committed or even joined.
    const groups = await (async () => {
      const a = kafka.admin();
      await a.connect();
      const { groups } = await a.listGroups();
      await a.disconnect();
      return groups;
    })();
    expect(groups.filter((g) => g.groupId.startsWith('doctor-g'))).toHaveLength(0);
  });

  it('provisions missing topics with safe configs before the doctor checks them, then starts', async () => {
    const topic = uniqueName('doctor-provisioned');
    const client = { clientId: 'doctor-ok', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING };
    await start({ client, doctor: { mode: 'fail' }, topics: [{ name: topic, partitions: 3 }] }, topic);
    const admin = kafka.admin();
    await admin.connect();
    const md = await admin.fetchTopicMetadata({ topics: [topic, `${topic}.dlt`] });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configNames: ['min.insync.replicas', 'unclean.leader.election.enable'],
        },
      ],
    });
    await admin.disconnect();
    expect(
      md.topics.map((t) => [t.name, t.partitions.length, t.partitions[0].replicas.length]).sort(),
    ).toEqual(
      [
        [topic, 3, 3],
        [`${topic}.dlt`, 3, 3],
      ].sort(),
    );
    const entries = Object.fromEntries(
      configs.resources[0].configEntries.map((e) => [e.configName, e.configValue]),
    );
    expect(entries).toEqual({ 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' });
  });

  it("provisions the retry stages of a handler's retryTopics with the topic, though its spec names none", async () => {
    const topic = uniqueName('doctor-stages');
    const client = {
      clientId: 'doctor-stages',
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
    };
    await start(
      { client, doctor: { mode: 'fail' }, topics: [{ name: topic, partitions: 2 }] },
      topic,
      [300, 2000],
    );
    const admin = kafka.admin();
    await admin.connect();
    const md = await admin.fetchTopicMetadata({
      topics: [`${topic}.retry.300`, `${topic}.retry.2000`, `${topic}.dlt`],
    });
    await admin.disconnect();
    expect(md.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
      [
        [`${topic}.dlt`, 2],
        [`${topic}.retry.2000`, 2],
        [`${topic}.retry.300`, 2],
      ].sort(),
    );
  });

  it("mode 'fail' names a missing retry stage topic of a handler", async () => {
    const topic = uniqueName('doctor-nostage');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [topic, `${topic}.dlt`].map((t) => ({
        topic: t,
        numPartitions: 1,
        replicationFactor: 3,
        configEntries: [{ name: 'min.insync.replicas', value: '2' }],
      })),
    });
    await admin.disconnect();
    const client = {
      clientId: 'doctor-nostage',
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
    };
    const failure = start({ client, doctor: { mode: 'fail' } }, topic, [700]);
    await expect(failure).rejects.toBeInstanceOf(UnsafeTopicConfigError);
    await expect(failure).rejects.toThrow(`${topic}.retry.700`);
  });

  it("mode 'warn' starts despite findings", async () => {
    const topic = uniqueName('doctor-warn');
    const client = { clientId: 'doctor-warn', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING };
    await expect(start({ client, doctor: { mode: 'warn' } }, topic)).resolves.toBeDefined();
  });
});
