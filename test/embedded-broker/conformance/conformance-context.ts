import { Kafka, logLevel, type Admin } from 'kafkajs';
import { EmbeddedKafka, type EmbeddedKafkaOptions } from '@nrk/embedded-broker';
import { startKafkaTarget, uniqueName, type KafkaTarget } from '../../support';
import { RawConnection } from '../support/raw-connection';
import { RawGroupHarness } from '../support/raw-group-harness';
import type { ConformanceContext, RowTopic } from './conformance-row';

const BROKER_RESOURCE = 4;

/** The portable cluster and admin of a conformance run, and the per-row resources closed after each row. */
export function useConformanceContext(): ConformanceContext {
  let target: KafkaTarget;
  let admin: Admin;
  const opened: Array<{ close(): void }> = [];
  const clusters: EmbeddedKafka[] = [];

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 3 });
    admin = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterEach(async () => {
    for (const c of opened.splice(0)) c.close();
    for (const c of clusters.splice(0)) await c.stop();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await target?.stop();
  });

  const connect = async (hostPort: string): Promise<RawConnection> => {
    const c = await RawConnection.open(hostPort);
    opened.push(c);
    return c;
  };

  const context: ConformanceContext = {
    get brokers() {
      return target.brokers;
    },
    get admin() {
      return admin;
    },
    async createTopic(t: RowTopic = {}) {
      const topic = uniqueName('conformance');
      const configEntries = Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value }));
      await admin.createTopics({
        topics: [
          { topic, numPartitions: t.partitions ?? 1, replicationFactor: t.replicationFactor, configEntries },
        ],
        waitForLeaders: true,
      });
      return topic;
    },
    async leader(topic: string, partition = 0) {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const leaderId = meta.partitions.find((p) => p.partitionId === partition)?.leader;
      const broker = (await admin.describeCluster()).brokers.find((b) => b.nodeId === leaderId);
      if (!broker) throw new Error(`no leader for ${topic}-${partition}`);
      return connect(`${broker.host}:${broker.port}`);
    },
    async topicLeader(t: RowTopic = {}) {
      const topic = await context.createTopic(t);
      return { topic, conn: await context.leader(topic) };
    },
    connect,
    async brokerConfig(name: string) {
      const { brokers } = await admin.describeCluster();
      const described = await admin.describeConfigs({
        resources: [{ type: BROKER_RESOURCE, name: String(brokers[0].nodeId), configNames: [name] }],
        includeSynonyms: false,
      });
      return described.resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
    },
    groups(topic: string) {
      const harness = new RawGroupHarness(target.brokers, topic);
      opened.push(harness);
      return harness;
    },
    async embedded(options: EmbeddedKafkaOptions) {
      const cluster = await EmbeddedKafka.start({ log: () => undefined, ...options });
      clusters.push(cluster);
      return cluster;
    },
  };
  return context;
}
