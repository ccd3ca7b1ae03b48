import type { DedupPersistence } from '../dedup/dedup-store.interface';
/** One partition as the cluster metadata reports it. */
export interface PartitionFacts {
  readonly partition: number;
  /** Broker id of the leader, -1 when there is none. */
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

/** What the doctor knows about one existing topic. */
export interface TopicFacts {
  readonly name: string;
  readonly partitions: readonly PartitionFacts[];
  /** Replicas per partition (the largest, should they differ). */
  readonly replicationFactor: number;
  /** Effective `min.insync.replicas` (topic override or broker default). */
  readonly minInsyncReplicas: number;
  /** Effective `unclean.leader.election.enable`. */
  readonly uncleanLeaderElection: boolean;
  /** Every effective topic config, by name. */
  readonly configs: Readonly<Record<string, string>>;
  /** Only the configs set on the topic itself (what AlterConfigs must resend to keep them). */
  readonly overrides: Readonly<Record<string, string>>;
}

/** Cluster-wide facts. */
export interface ClusterFacts {
  /** Brokers the metadata lists (the live ones). */
  readonly brokerCount: number;
  /** Broker configs of the controller that matter for topics created without explicit settings. */
  readonly brokerConfigs: Readonly<Record<string, string>>;
}

/** A topic the app uses, and the dead-letter topic its failures go to. */
export interface DoctorTopicTarget {
  readonly topic: string;
  /** Dead-letter topic of this topic, or false when the app does not dead-letter it. */
  readonly deadLetterTopic: string | false;
}

/** Producer settings the app runs with. */
export interface ProducerFacts {
  /** -1 (all), 0 or 1. */
  readonly acks: number;
  readonly idempotent: boolean;
}

/** The dedup store the app runs with, and what of its state survives a restart of its server. */
export interface DedupFacts {
  readonly store: string;
  readonly persistence: DedupPersistence;
}

/** Consumer settings of one consumer group. */
export interface ConsumerFacts {
  readonly groupId: string;
  readonly autoCommit: boolean;
  readonly sessionTimeout: number;
  readonly heartbeatInterval: number;
  readonly rebalanceTimeout: number;
  /** Longest time a handler call may take, when the app bounds it. */
  readonly maxProcessingTimeMs?: number;
}

/** Everything the rules look at. Topics missing from `topics` do not exist. */
export interface DoctorFacts {
  readonly dedup?: DedupFacts;
  readonly cluster: ClusterFacts;
  readonly targets: readonly DoctorTopicTarget[];
  readonly topics: ReadonlyMap<string, TopicFacts>;
  readonly producer?: ProducerFacts;
  readonly consumers: readonly ConsumerFacts[];
}
