/** A topic the app wants to exist, as given in the module's `topics` option. */
export interface TopicSpec {
  /** Topic name. */
  name: string;
  /** Partition count; its dead-letter and retry topics get the same. */
  partitions: number;
  /** Default: min(3, live brokers). */
  replicationFactor?: number;
  /**
   * Extra configs of this topic (e.g. `retention.ms`); they win over the safe defaults. Not copied to its
   * dead-letter and retry topics, which get only the safe defaults.
   */
  configs?: Record<string, string>;
  /** Also provision `<name>.dlt` (default true). */
  deadLetter?: boolean;
  /** Retry stages: one `<name>.retry.<delay>` topic per delay in milliseconds. */
  retryDelaysMs?: number[];
}

/** Options of `provisionTopics`. */
export interface ProvisionOptions {
  /**
   * Apply differences to existing topics (raise partitions, set configs). Default false: existing topics are never
   * altered, the differences are only reported.
   */
  allowChanges?: boolean;
}

/** One concrete topic to provision, derived from a spec. */
export interface PlannedTopic {
  readonly name: string;
  readonly role: 'topic' | 'dead-letter' | 'retry';
  /** The spec it comes from. */
  readonly spec: string;
  readonly partitions: number;
  /** From the spec, else min(3, live brokers). */
  readonly replicationFactor: number;
  /** Configs the spec sets explicitly (safe defaults are added per replication factor). */
  readonly explicitConfigs: Readonly<Record<string, string>>;
}

/** One difference between an existing topic and its plan. */
export interface TopicChange {
  readonly setting: string;
  readonly actual: string;
  readonly desired: string;
  /** False when provisioning cannot do it (a replication factor change needs a partition reassignment). */
  readonly applicable: boolean;
}

/** The differences of one existing topic. */
export interface TopicDrift {
  readonly topic: string;
  readonly changes: readonly TopicChange[];
}

/** What `provisionTopics` did. */
export interface ProvisioningReport {
  /** Topics created, with the configs they were created with. */
  readonly created: ReadonlyArray<{
    readonly name: string;
    readonly partitions: number;
    readonly replicationFactor: number;
    readonly configs: Readonly<Record<string, string>>;
  }>;
  /** Changes applied to existing topics (only with allowChanges). */
  readonly altered: readonly TopicDrift[];
  /** Differences left as they are: all of them without allowChanges, the inapplicable ones with it. */
  readonly pending: readonly TopicDrift[];
  /** Existing topics that already match. */
  readonly unchanged: readonly string[];
}
