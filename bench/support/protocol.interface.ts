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

export type OutageContenderId = 'kafkajs-producer' | 'ours-producer';

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

/** Scenario 5: `rate` sends/s of one message each for `durationMs` (open loop), then wait up to `settleMs`. */
export interface OutageSpec extends SpecBase {
  scenario: 'outage';
  contender: OutageContenderId;
  rate: number;
  durationMs: number;
  settleMs: number;
}

export type ContenderSpec = ConsumeSpec | SlowIoSpec | ProduceSpec | OutageSpec;

/** Every send of scenario 5, by index (send i was due at `startedAt + i / rate * 1000`). */
export interface OutageSends {
  /** Epoch ms (performance.timeOrigin + now) at which send 0 was due; the runner's fault times use the same clock. */
  startedAt: number;
  /**
   * How each send ended: 'ok' (resolved), 'pending' (not settled when the contender stopped waiting), or the kind of
   * rejection: `DeliveryError.outcome` when the error has one (ours), else the error's name.
   */
  status: string[];
  /** From the time the send was due (not when the timer got to it) to its promise settling, ms; -1 if pending. */
  latencyMs: number[];
  /** The message id header of each send's message ('' when the contender could not tell). */
  ids: string[];
}

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
  /** CPU time of the contender process (user + system) during the measured phase, microseconds. */
  cpuMicros?: number;
  /** Scenario 5: every send and how it ended. */
  sends?: OutageSends;
}

export type ChildMessage =
  | { type: 'progress'; done: number }
  /** The measured phase starts now (epoch ms, performance.timeOrigin + performance.now()). */
  | { type: 'measuring'; at: number }
  /** Backlog drained: the runner may start the paced live phase. */
  | { type: 'drained'; count: number; seconds: number }
  | { type: 'result'; result: ContenderResult }
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'stop' };
