import { TOPIC_CONFIG_DEFS } from './config-validation-defs';

/**
 * Topic configs the broker understands, with Kafka's defaults. Values are strings as on the wire; a topic stores
 * only what was set explicitly, everything else resolves through the broker's defaults (DescribeConfigs reports
 * the source accordingly).
 */
export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  TOPIC_CONFIG_DEFS.map((d) => [d.name, d.defaultValue]),
);

/** Broker-level settings; topic configs of the same name fall back to these. */
export interface BrokerSettings {
  autoCreateTopics: boolean;
  defaultPartitions: number;
  defaultReplicationFactor: number;
  /** A follower behind the leader for longer than this drops out of the ISR (Kafka: replica.lag.time.max.ms). */
  replicaLagTimeMaxMs: number;
  /** Delay before followers copy a leader's new batches; 0 replicates at once. */
  replicationLagMs: number;
  /** Cluster-wide overrides of TOPIC_CONFIG_DEFAULTS (e.g. min.insync.replicas=2 for a whole cluster). */
  topicDefaults: Record<string, string>;
  /** Largest request frame accepted (Kafka: socket.request.max.bytes); a larger one closes the connection. */
  maxRequestBytes: number;
  /** Shortest session timeout a JoinGroup may ask for (Kafka: group.min.session.timeout.ms). */
  groupMinSessionTimeoutMs: number;
  /** Longest session timeout a JoinGroup may ask for (Kafka: group.max.session.timeout.ms). */
  groupMaxSessionTimeoutMs: number;
  /** How long a replica keeps an idle producer's state (Kafka: producer.id.expiration.ms). */
  producerIdExpirationMs: number;
}

export const DEFAULT_BROKER_SETTINGS: BrokerSettings = {
  autoCreateTopics: true,
  defaultPartitions: 1,
  defaultReplicationFactor: 1,
  replicaLagTimeMaxMs: 2000,
  replicationLagMs: 0,
  topicDefaults: {},
  maxRequestBytes: 100 * 1024 * 1024,
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  producerIdExpirationMs: 86_400_000,
};

export class TopicConfig {
  constructor(
    private readonly explicit: Map<string, string>,
    private readonly settings: BrokerSettings,
  ) {}

  get(name: string): string | undefined {
    return this.explicit.get(name) ?? this.settings.topicDefaults[name] ?? TOPIC_CONFIG_DEFAULTS[name];
  }

  number(name: string): number {
    return Number(this.get(name));
  }

  bool(name: string): boolean {
    return this.get(name) === 'true';
  }

  isExplicit(name: string): boolean {
    return this.explicit.has(name);
  }

  set(name: string, value: string | null): void {
    if (value === null) this.explicit.delete(name);
    else this.explicit.set(name, value);
  }

  /** Every known config name with its effective value. */
  entries(): Array<[string, string]> {
    const names = new Set([...Object.keys(TOPIC_CONFIG_DEFAULTS), ...this.explicit.keys()]);
    return [...names].sort().map((n) => [n, this.get(n) ?? '']);
  }
}
