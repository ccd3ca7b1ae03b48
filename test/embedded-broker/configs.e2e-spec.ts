import { Admin, ConfigResourceTypes, ConfigSource, Kafka, logLevel } from 'kafkajs';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { uniqueName } from '../support';
import { RawConnection } from './support/raw-connection';

interface DecodedEntry {
  configName: string;
  configValue: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  configSynonyms?: Array<{ configName: string; configValue: string; configSource: number }>;
}
interface DecodedDescribe {
  resources: Array<{
    errorCode: number;
    errorMessage: string | null;
    resourceName: string;
    configEntries: DecodedEntry[];
  }>;
}

const entry = (res: DecodedDescribe['resources'][number], name: string): DecodedEntry | undefined =>
  res.configEntries.find((e) => e.configName === name);

describe('embedded broker: DescribeConfigs and AlterConfigs', () => {
  let cluster: EmbeddedKafka;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await EmbeddedKafka.start({
      brokers: 3,
      settings: {
        defaultReplicationFactor: 3,
        defaultPartitions: 2,
        replicaLagTimeMaxMs: 5000,
        topicDefaults: { 'min.insync.replicas': '2' },
      },
    });
    admin = new Kafka({
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  async function topicWith(configEntries: Array<{ name: string; value: string }>): Promise<string> {
    const topic = uniqueName('configs');
    await admin.createTopics({ topics: [{ topic, configEntries }] });
    return topic;
  }

  it('describes a topic: explicit values as TOPIC_CONFIG, cluster defaults as STATIC_BROKER_CONFIG, the rest as DEFAULT_CONFIG', async () => {
    const topic = await topicWith([{ name: 'retention.ms', value: '1000' }]);
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
      includeSynonyms: false,
    });
    const res = resources[0];
    expect(res.errorCode).toBe(0);
    expect(entry(res, 'retention.ms')).toMatchObject({
      configValue: '1000',
      configSource: ConfigSource.TOPIC_CONFIG,
      isDefault: false,
      readOnly: false,
    });
    expect(entry(res, 'min.insync.replicas')).toMatchObject({
      configValue: '2',
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
      isDefault: false,
    });
    expect(entry(res, 'unclean.leader.election.enable')).toMatchObject({
      configValue: 'false',
      configSource: ConfigSource.DEFAULT_CONFIG,
      isDefault: true,
    });
    expect(entry(res, 'retention.bytes')).toMatchObject({ configValue: '-1', isDefault: true });
    expect(entry(res, 'cleanup.policy')?.configValue).toBe('delete');
  });

  it('lists synonyms in precedence order when asked', async () => {
    const topic = await topicWith([{ name: 'min.insync.replicas', value: '3' }]);
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      includeSynonyms: true,
    });
    expect(resources[0].configEntries).toHaveLength(1);
    expect(resources[0].configEntries[0].configSynonyms).toEqual([
      { configName: 'min.insync.replicas', configValue: '3', configSource: ConfigSource.TOPIC_CONFIG },
      {
        configName: 'min.insync.replicas',
        configValue: '2',
        configSource: ConfigSource.STATIC_BROKER_CONFIG,
      },
      { configName: 'min.insync.replicas', configValue: '1', configSource: ConfigSource.DEFAULT_CONFIG },
    ]);
  });

  it('describes each broker on that broker', async () => {
    const { resources } = await admin.describeConfigs({
      resources: [0, 1, 2].map((id) => ({ type: ConfigResourceTypes.BROKER, name: String(id) })),
      includeSynonyms: false,
    });
    expect(resources.map((r) => r.resourceName).sort()).toEqual(['0', '1', '2']);
    for (const res of resources) {
      expect(res.errorCode).toBe(0);
      const value = (name: string): string | null | undefined => entry(res, name)?.configValue;
      expect(value('broker.id')).toBe(res.resourceName);
      expect(value('default.replication.factor')).toBe('3');
      expect(value('num.partitions')).toBe('2');
      expect(value('auto.create.topics.enable')).toBe('true');
      expect(value('min.insync.replicas')).toBe('2');
      expect(value('unclean.leader.election.enable')).toBe('false');
      expect(value('replica.lag.time.max.ms')).toBe('5000');
      expect(value('offsets.topic.replication.factor')).toBe('3');
      expect(value('transaction.state.log.replication.factor')).toBe('3');
      expect(value('transaction.state.log.min.isr')).toBe('2');
      expect(entry(res, 'replica.lag.time.max.ms')).toMatchObject({
        configSource: ConfigSource.STATIC_BROKER_CONFIG,
        readOnly: true,
      });
      expect(entry(res, 'auto.create.topics.enable')).toMatchObject({
        configSource: ConfigSource.DEFAULT_CONFIG,
        isDefault: true,
      });
    }
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist', async () => {
    await expect(
      admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: uniqueName('nope') }],
        includeSynonyms: false,
      }),
    ).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('encodes v0 (isDefault) and v1 (configSource, synonyms) as the protocol defines', async () => {
    const topic = await topicWith([{ name: 'retention.ms', value: '2000' }]);
    const conn = await RawConnection.open(cluster.bootstrapServers[0]);
    try {
      const resources = [
        { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'segment.ms'] },
      ];
      const v0 = await conn.request<DecodedDescribe>('DescribeConfigs', 0, { resources });
      expect(v0.resources[0].configEntries).toEqual([
        expect.objectContaining({ configName: 'retention.ms', configValue: '2000', isDefault: false }),
        expect.objectContaining({ configName: 'segment.ms', configValue: '604800000', isDefault: true }),
      ]);
      const v1 = await conn.request<DecodedDescribe>('DescribeConfigs', 1, {
        resources,
        includeSynonyms: true,
      });
      expect(entry(v1.resources[0], 'retention.ms')).toMatchObject({
        configSource: ConfigSource.TOPIC_CONFIG,
      });
      expect(entry(v1.resources[0], 'retention.ms')?.configSynonyms?.[0]).toEqual({
        configName: 'retention.ms',
        configValue: '2000',
        configSource: ConfigSource.TOPIC_CONFIG,
      });
      // A broker resource must be asked of that broker itself.
      const wrong = await conn.request<DecodedDescribe>('DescribeConfigs', 1, {
        resources: [{ type: ConfigResourceTypes.BROKER, name: '2' }],
      });
      expect(wrong.resources[0].errorCode).toBe(42); // INVALID_REQUEST
    } finally {
      conn.close();
    }
  });

  it('AlterConfigs replaces the topic config set, and the new values take effect', async () => {
    const topic = await topicWith([{ name: 'retention.ms', value: '1000' }]);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: [{ name: 'min.insync.replicas', value: '3' }],
        },
      ],
    });
    const config = cluster.cluster.topics.get(topic)?.config;
    expect(config?.get('min.insync.replicas')).toBe('3');
    // Not listed in the request: back to the default.
    expect(config?.isExplicit('retention.ms')).toBe(false);
    expect(config?.get('retention.ms')).toBe('604800000');
    expect(cluster.cluster.partition(topic, 0)?.minInsyncReplicas).toBe(3);
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
      includeSynonyms: false,
    });
    expect(entry(resources[0], 'min.insync.replicas')).toMatchObject({
      configValue: '3',
      configSource: ConfigSource.TOPIC_CONFIG,
    });
  });

  it('AlterConfigs validates: INVALID_CONFIG for bad values, nothing changes with validateOnly', async () => {
    const topic = await topicWith([]);
    const alter = (name: string, value: string, validateOnly = false) =>
      admin.alterConfigs({
        validateOnly,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name, value }] }],
      });
    await expect(alter('min.insync.replicas', '0')).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
    await expect(alter('bogus.config', 'x')).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
    await alter('retention.ms', '5000', true);
    expect(cluster.cluster.topics.get(topic)?.config.isExplicit('retention.ms')).toBe(false);
    await expect(
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: uniqueName('missing'),
            configEntries: [{ name: 'retention.ms', value: '1' }],
          },
        ],
      }),
    ).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});
