import { Admin, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { runDoctor } from '../../libs/reliable-kafka/src/doctor';
import {
  provisionTopics,
  TopicProvisioningError,
  TopicProvisioningService,
} from '../../libs/reliable-kafka/src/provisioning';
import { startKafkaTarget, uniqueName, type KafkaTarget } from '../support';

jest.setTimeout(60_000);

/** Configs of a topic read back through DescribeConfigs. */
async function configsOf(admin: Admin, topic: string): Promise<Record<string, string>> {
  const res = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
  });
  return Object.fromEntries(res.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
}

async function shapeOf(admin: Admin, topic: string): Promise<{ partitions: number; rf: number }> {
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = meta.topics[0].partitions;
  return { partitions: partitions.length, rf: Math.max(...partitions.map((p) => p.replicas.length)) };
}

describe('topic provisioning against a 3-broker cluster', () => {
  let target: KafkaTarget;
  let admin: Admin;

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 3 });
    admin = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await target?.stop();
  });

  it('creates the topic, its DLT and retry stages with RF 3, min ISR 2 and unclean election off', async () => {
    const name = uniqueName('prov-orders');
    const report = await provisionTopics(admin, [
      { name, partitions: 4, retryDelaysMs: [1000, 60000], configs: { 'retention.ms': '86400000' } },
    ]);
    const all = [name, `${name}.dlt`, `${name}.retry.1000`, `${name}.retry.60000`];
    expect(report.created.map((c) => c.name)).toEqual(all);
    expect(report.pending).toEqual([]);
    for (const topic of all) {
      expect(await shapeOf(admin, topic)).toEqual({ partitions: 4, rf: 3 });
      const configs = await configsOf(admin, topic);
      expect(configs['min.insync.replicas']).toBe('2');
      expect(configs['unclean.leader.election.enable']).toBe('false');
    }
    // The spec's own configs go to the main topic only.
    expect((await configsOf(admin, name))['retention.ms']).toBe('86400000');
    expect((await configsOf(admin, `${name}.dlt`))['retention.ms']).toBe('604800000');
    // What provisioning creates passes the doctor.
    const doctor = await runDoctor(admin, { targets: [{ topic: name, deadLetterTopic: `${name}.dlt` }] });
    expect(doctor.forTopic(name)).toEqual([]);
    expect(doctor.forTopic(`${name}.dlt`)).toEqual([]);
  });

  it('is idempotent: a second run finds everything unchanged', async () => {
    const name = uniqueName('prov-again');
    await provisionTopics(admin, [{ name, partitions: 2 }]);
    const again = await provisionTopics(admin, [{ name, partitions: 2 }]);
    expect(again).toEqual({ created: [], altered: [], pending: [], unchanged: [name, `${name}.dlt`] });
  });

  describe('an existing unsafe topic', () => {
    let name: string;

    beforeEach(async () => {
      name = uniqueName('prov-existing');
      await admin.createTopics({
        topics: [
          {
            topic: name,
            numPartitions: 1,
            replicationFactor: 3,
            configEntries: [
              { name: 'min.insync.replicas', value: '1' },
              { name: 'unclean.leader.election.enable', value: 'true' },
              { name: 'retention.ms', value: '3600000' },
            ],
          },
        ],
      });
    });

    it('is left untouched without allowChanges, and the differences are reported', async () => {
      const report = await provisionTopics(admin, [{ name, partitions: 3 }]);
      expect(report.created.map((c) => c.name)).toEqual([`${name}.dlt`]);
      expect(report.pending).toEqual([
        {
          topic: name,
          changes: [
            { setting: 'partitions', actual: '1', desired: '3', applicable: true },
            { setting: 'min.insync.replicas', actual: '1', desired: '2', applicable: true },
            { setting: 'unclean.leader.election.enable', actual: 'true', desired: 'false', applicable: true },
          ],
        },
      ]);
      expect(await shapeOf(admin, name)).toEqual({ partitions: 1, rf: 3 });
      const configs = await configsOf(admin, name);
      expect([
        configs['min.insync.replicas'],
        configs['unclean.leader.election.enable'],
        configs['retention.ms'],
      ]).toEqual(['1', 'true', '3600000']);
    });

    it('with allowChanges, gets more partitions and the safe configs, keeping its other overrides', async () => {
      const report = await provisionTopics(admin, [{ name, partitions: 3 }], { allowChanges: true });
      expect(report.altered.map((a) => [a.topic, a.changes.map((c) => c.setting)])).toEqual([
        [name, ['partitions', 'min.insync.replicas', 'unclean.leader.election.enable']],
      ]);
      expect(report.pending).toEqual([]);
      expect(await shapeOf(admin, name)).toEqual({ partitions: 3, rf: 3 });
      const configs = await configsOf(admin, name);
      // AlterConfigs replaces the whole set; retention.ms survives only because provisioning resent it.
      expect([
        configs['min.insync.replicas'],
        configs['unclean.leader.election.enable'],
        configs['retention.ms'],
      ]).toEqual(['2', 'false', '3600000']);
    });
  });

  it('with allowChanges, leaves a replication factor increase pending (it needs a reassignment)', async () => {
    const name = uniqueName('prov-rf1');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 2, replicationFactor: 1 }] });
    const report = await provisionTopics(admin, [{ name, partitions: 2, deadLetter: false }], {
      allowChanges: true,
    });
    expect(report.pending).toEqual([
      {
        topic: name,
        changes: [{ setting: 'replication.factor', actual: '1', desired: '3', applicable: false }],
      },
    ]);
    expect(report.altered).toEqual([]);
    expect(await shapeOf(admin, name)).toEqual({ partitions: 2, rf: 1 });
  });

  it('refuses a replication factor above the live brokers before creating anything', async () => {
    const name = uniqueName('prov-rf5');
    await expect(provisionTopics(admin, [{ name, partitions: 1, replicationFactor: 5 }])).rejects.toThrow(
      TopicProvisioningError,
    );
    await expect(provisionTopics(admin, [{ name, partitions: 1, replicationFactor: 5 }])).rejects.toThrow(
      'replication factor 5 is larger than the 3 live broker(s)',
    );
    expect(await admin.listTopics()).not.toContain(name);
  });

  it('reports a config the cluster rejects as a TopicProvisioningError naming the topic', async () => {
    const name = uniqueName('prov-badcfg');
    const error = await provisionTopics(admin, [
      { name, partitions: 1, deadLetter: false, configs: { 'no.such.config': '1' } },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopicProvisioningError);
    expect((error as TopicProvisioningError).topic).toBe(name);
    expect((error as TopicProvisioningError).message).toContain('refused to create it');
  });

  it('the service logs what it created and what it left pending', async () => {
    const name = uniqueName('prov-service');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 1, replicationFactor: 3 }] });
    const service = new TopicProvisioningService();
    const logger = (service as unknown as { logger: { log: (m: string) => void; warn: (m: string) => void } })
      .logger;
    const log = jest.spyOn(logger, 'log').mockImplementation(() => undefined);
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await service.provision(admin, [{ name, partitions: 1 }]);
    expect(log.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Created topic ${name}\\.dlt \\(partitions 1, replication factor 3, min\\.insync\\.replicas=2`,
        ),
      ),
    ]);
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      expect.stringContaining(
        `Topic ${name} differs from its spec and was not changed: min.insync.replicas 1 -> 2`,
      ),
    ]);
  });
});

describe('topic provisioning on a single-broker development cluster', () => {
  it('creates RF 1 topics, which the doctor explains are acceptable only there', async () => {
    const cluster = await EmbeddedKafka.start({ brokers: 1 });
    const admin = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING }).admin();
    try {
      await admin.connect();
      const name = uniqueName('prov-dev');
      await provisionTopics(admin, [{ name, partitions: 2 }]);
      expect(await shapeOf(admin, name)).toEqual({ partitions: 2, rf: 1 });
      const configs = await configsOf(admin, name);
      expect([configs['min.insync.replicas'], configs['unclean.leader.election.enable']]).toEqual([
        '1',
        'false',
      ]);
      const report = await runDoctor(admin, { targets: [{ topic: name, deadLetterTopic: `${name}.dlt` }] });
      expect(report.hasErrors).toBe(false);
      expect(report.forTopic(name)).toEqual([
        expect.objectContaining({
          severity: 'info',
          setting: 'replication.factor',
          actual: '1',
          reason: expect.stringContaining('acceptable only on a single-broker development cluster'),
        }),
      ]);
    } finally {
      await admin.disconnect();
      await cluster.stop();
    }
  });
});
