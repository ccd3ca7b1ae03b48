import { Admin, ConfigResourceTypes, ConfigSource, type DescribeConfigResponse } from 'kafkajs';
import type {
  ClusterFacts,
  ConsumerFacts,
  DedupFacts,
  DoctorFacts,
  DoctorTopicTarget,
  PartitionFacts,
  ProducerFacts,
  TopicFacts,
} from './doctor-facts.interface';

/** The part of a kafkajs admin client the doctor reads with (it never writes). */
export type DoctorAdmin = Pick<
  Admin,
  'describeCluster' | 'listTopics' | 'fetchTopicMetadata' | 'describeConfigs'
>;

/** Broker configs that decide how safe an auto-created topic is. */
const BROKER_CONFIGS = [
  'auto.create.topics.enable',
  'default.replication.factor',
  'min.insync.replicas',
  'unclean.leader.election.enable',
];

type ConfigEntry = DescribeConfigResponse['resources'][number]['configEntries'][number];

/** Set on the topic itself (DescribeConfigs v0 has no source; a non-default value is then an override). */
function isTopicOverride(e: ConfigEntry): boolean {
  return e.configSource === ConfigSource.TOPIC_CONFIG || (e.configSource === undefined && !e.isDefault);
}

/** Live broker count and the controller's topic-relevant defaults. */
export async function collectClusterFacts(admin: DoctorAdmin): Promise<ClusterFacts> {
  const cluster = await admin.describeCluster();
  const brokerId = cluster.controller ?? cluster.brokers[0]?.nodeId;
  const brokerConfigs: Record<string, string> = {};
  if (brokerId !== undefined && brokerId !== null) {
    try {
      const res = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.BROKER, name: String(brokerId), configNames: BROKER_CONFIGS },
        ],
      });
      for (const e of res.resources[0]?.configEntries ?? []) brokerConfigs[e.configName] = e.configValue;
    } catch {
      // Managed clusters often deny DescribeConfigs on brokers; the topic rules do not need these values.
    }
  }
  return { brokerCount: cluster.brokers.length, brokerConfigs };
}

/**
 * Metadata and configs of the named topics that exist; missing ones are absent from the map. Lists topics first,
 * because asking metadata for an unknown topic may auto-create it on clusters that allow that.
 */
export async function collectTopicFacts(
  admin: DoctorAdmin,
  names: readonly string[],
): Promise<Map<string, TopicFacts>> {
  const existing = new Set(await admin.listTopics());
  const present = [...new Set(names)].filter((n) => existing.has(n));
  const facts = new Map<string, TopicFacts>();
  if (present.length === 0) return facts;
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const configsByTopic = new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
  for (const t of metadata.topics) {
    const partitions: PartitionFacts[] = t.partitions
      .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }))
      .sort((a, b) => a.partition - b.partition);
    const configs: Record<string, string> = {};
    const overrides: Record<string, string> = {};
    for (const e of configsByTopic.get(t.name) ?? []) {
      configs[e.configName] = e.configValue;
      if (isTopicOverride(e)) overrides[e.configName] = e.configValue;
    }
    facts.set(t.name, {
      name: t.name,
      partitions,
      replicationFactor: Math.max(0, ...partitions.map((p) => p.replicas.length)),
      minInsyncReplicas: Number(configs['min.insync.replicas'] ?? '1'),
      uncleanLeaderElection: configs['unclean.leader.election.enable'] === 'true',
      configs,
      overrides,
    });
  }
  return facts;
}

/** What the app uses: topics (with their dead-letter topics) and its client settings. */
export interface DoctorInput {
  readonly targets: readonly DoctorTopicTarget[];
  readonly producer?: ProducerFacts;
  readonly consumers?: readonly ConsumerFacts[];
  readonly dedup?: DedupFacts;
}

/** Reads everything the rules need with a connected admin client. */
export async function collectDoctorFacts(admin: DoctorAdmin, input: DoctorInput): Promise<DoctorFacts> {
  const names = input.targets.flatMap((t) =>
    t.deadLetterTopic === false ? [t.topic] : [t.topic, t.deadLetterTopic],
  );
  const [cluster, topics] = [await collectClusterFacts(admin), await collectTopicFacts(admin, names)];
  return {
    cluster,
    targets: input.targets,
    topics,
    producer: input.producer,
    consumers: input.consumers ?? [],
    dedup: input.dedup,
  };
}
