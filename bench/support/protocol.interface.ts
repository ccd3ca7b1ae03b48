/** What the bench runner and a contender child process say to each other over the IPC channel. */

export type ConsumeContenderId =
  | 'kafkajs-each-batch'
  | 'kafkajs-each-message'
  | 'nest-server-kafka'
  | 'ours'
  | 'ours-batch-1000'
  | 'ours-redis'
  | 'ours-postgres';

export type SlowIoContenderId =
  | 'kafkajs-each-message'
  | 'kafkajs-each-batch-pool'
  | 'nest-server-kafka'
  | 'ours-partition'
  | 'ours-key'
  | 'ours-unordered';

export type ProduceContenderId = 'kafkajs-send-each' | 'kafkajs-batches' | 'ours-producer';

interface SpecBase {
  brokers: string[];
  topic: string;
  /** Unique per run, so every contender starts from the beginning of the topic. */
  groupId: string;
}

/** Scenarios 1 and 4: drain a backlog of `backlog` messages, then handle `live` paced messages. */
export interface ConsumeSpec extends SpecBase {
  scenario: 'consume';
  contender: ConsumeContenderId;
  backlog: number;
  live: number;
  redisUrl?: string;
  databaseUrl?: string;
}

/** Scenario 2: every message sleeps `value.ms`; done when `total` messages were handled. */
export interface SlowIoSpec extends SpecBase {
  scenario: 'slow-io';
  contender: SlowIoContenderId;
  total: number;
  concurrency: number;
}

/** Scenario 3: send `total` messages from `callers` concurrent callers (or in batches of `batchSize`). */
export interface ProduceSpec extends SpecBase {
  scenario: 'produce';
  contender: ProduceContenderId;
  total: number;
  callers: number;
  batchSize: number;
}

export type ContenderSpec = ConsumeSpec | SlowIoSpec | ProduceSpec;

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  p50: number;
  p99: number;
  samples: number;
}

export interface ContenderResult {
  /** Messages counted in the measured phase. */
  count: number;
  /** Duration of the measured phase in seconds. */
  seconds: number;
  latency?: LatencySummary;
  /** Peak resident set size of the contender process (VmHWM), bytes. */
  peakRssBytes: number;
}

export type ChildMessage =
  | { type: 'progress'; done: number }
  /** Backlog drained: the runner may start the paced live phase. */
  | { type: 'drained'; count: number; seconds: number }
  | { type: 'result'; result: ContenderResult }
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'stop' };
