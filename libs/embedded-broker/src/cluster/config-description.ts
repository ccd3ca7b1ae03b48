import { ConfigSource } from '../protocol/messages/describe-configs.schema';
import { Cluster } from './cluster';
import { TOPIC_CONFIG_DEFS } from './config-validation-defs';
import { TopicConfig } from './configs';

/** One described config, independent of the DescribeConfigs version it is encoded in. */
export interface ConfigDescription {
  readonly name: string;
  readonly value: string;
  readonly source: ConfigSource;
  readonly readOnly: boolean;
  /** Where the value could come from, highest precedence first (the value's own source included). */
  readonly synonyms: ReadonlyArray<{ name: string; value: string; source: ConfigSource }>;
}

/** Every topic config with its effective value: set on the topic, a cluster-wide default, or Kafka's default. */
export function describeTopicConfigs(cluster: Cluster, config: TopicConfig): ConfigDescription[] {
  return TOPIC_CONFIG_DEFS.map((def) => {
    const brokerName = def.brokerSynonym;
    const synonyms: Array<{ name: string; value: string; source: ConfigSource }> = [];
    if (config.isExplicit(def.name))
      synonyms.push({ name: def.name, value: config.get(def.name) ?? '', source: ConfigSource.TopicConfig });
    const clusterDefault = cluster.settings.topicDefaults[def.name];
    if (brokerName && clusterDefault !== undefined)
      synonyms.push({ name: brokerName, value: clusterDefault, source: ConfigSource.StaticBrokerConfig });
    if (brokerName)
      synonyms.push({ name: brokerName, value: def.defaultValue, source: ConfigSource.DefaultConfig });
    const first = synonyms[0];
    const value = config.get(def.name) ?? def.defaultValue;
    const source = first && first.value === value ? first.source : ConfigSource.DefaultConfig;
    return { name: def.name, value, source, readOnly: false, synonyms };
  });
}

interface BrokerConfigValue {
  readonly name: string;
  readonly value: string;
  /** Kafka's own default: a different value is reported as set in the broker's static config. */
  readonly kafkaDefault: string | null;
}

function brokerConfigValues(cluster: Cluster, brokerId: number): BrokerConfigValue[] {
  const s = cluster.settings;
  const info = cluster.brokers.get(brokerId);
  const internalRf = Math.min(3, cluster.brokers.size);
  const topicDefault = (name: string, dflt: string): string => s.topicDefaults[name] ?? dflt;
  const values: BrokerConfigValue[] = [
    { name: 'broker.id', value: String(brokerId), kafkaDefault: null },
    { name: 'listeners', value: `PLAINTEXT://${info?.host}:${info?.port}`, kafkaDefault: null },
    { name: 'num.partitions', value: String(s.defaultPartitions), kafkaDefault: '1' },
    { name: 'default.replication.factor', value: String(s.defaultReplicationFactor), kafkaDefault: '1' },
    { name: 'auto.create.topics.enable', value: String(s.autoCreateTopics), kafkaDefault: 'true' },
    { name: 'replica.lag.time.max.ms', value: String(s.replicaLagTimeMaxMs), kafkaDefault: '30000' },
    { name: 'socket.request.max.bytes', value: String(s.maxRequestBytes), kafkaDefault: '104857600' },
    { name: 'group.min.session.timeout.ms', value: String(s.groupMinSessionTimeoutMs), kafkaDefault: '6000' },
    {
      name: 'group.max.session.timeout.ms',
      value: String(s.groupMaxSessionTimeoutMs),
      kafkaDefault: '1800000',
    },
    { name: 'producer.id.expiration.ms', value: String(s.producerIdExpirationMs), kafkaDefault: '86400000' },
    // Group and transaction state is kept as if in replicated internal topics of this replication factor.
    { name: 'offsets.topic.replication.factor', value: String(internalRf), kafkaDefault: '3' },
    { name: 'transaction.state.log.replication.factor', value: String(internalRf), kafkaDefault: '3' },
    { name: 'transaction.state.log.min.isr', value: String(Math.min(2, internalRf)), kafkaDefault: '2' },
  ];
  const seen = new Set(values.map((v) => v.name));
  for (const def of TOPIC_CONFIG_DEFS) {
    if (!def.brokerSynonym || seen.has(def.brokerSynonym)) continue;
    seen.add(def.brokerSynonym);
    values.push({
      name: def.brokerSynonym,
      value: topicDefault(def.name, def.defaultValue),
      kafkaDefault: def.defaultValue,
    });
  }
  return values.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A broker's configs. All are read-only here: the embedded broker takes its settings at start (options or CLI
 * flags) and does not support dynamic broker configs.
 */
export function describeBrokerConfigs(cluster: Cluster, brokerId: number): ConfigDescription[] {
  return brokerConfigValues(cluster, brokerId).map((c) => {
    const isDefault = c.kafkaDefault !== null && c.kafkaDefault === c.value;
    const source = isDefault ? ConfigSource.DefaultConfig : ConfigSource.StaticBrokerConfig;
    const synonyms = [{ name: c.name, value: c.value, source }];
    if (!isDefault && c.kafkaDefault !== null)
      synonyms.push({ name: c.name, value: c.kafkaDefault, source: ConfigSource.DefaultConfig });
    return { name: c.name, value: c.value, source, readOnly: true, synonyms };
  });
}
