/** Bounded in-process retry of a failing batch before it is handed back to kafkajs for redelivery. */
export interface RetryPolicy {
  /** Attempts per batch including the first (default 3). */
  maxAttempts: number;
  /** Delay before the second attempt (default 200 ms); doubles per attempt, with jitter. */
  initialDelayMs: number;
  /** Largest delay between attempts (default 5000 ms). */
  maxDelayMs: number;
}

/** Per-handler dedup switch; `transactional` hands the handler the dedup transaction's EntityManager. */
export type HandlerDedupOption = boolean | { transactional?: boolean };

/** Settings every handler inherits from the module (`consumer` option) unless it overrides them. */
export interface HandlerDefaults {
  /** Largest number of messages given to one handler call (default 100). */
  maxBatchSize?: number;
  retry?: Partial<RetryPolicy>;
  /** Partitions processed at once by this handler's consumer (default 1). */
  concurrency?: number;
  /** kafkajs consumer session timeout (default 30000 ms). */
  sessionTimeout?: number;
  /** kafkajs heartbeat interval, also the period of the background heartbeat during a handler (default 3000 ms). */
  heartbeatInterval?: number;
}

/** Options of `@ReliableBatchHandler()`. */
export interface ReliableBatchHandlerOptions extends HandlerDefaults {
  /** Topic to consume (or use `topics`). */
  topic?: string | RegExp;
  topics?: (string | RegExp)[];
  /** Consumer group of this handler; each handler has its own. Required. */
  groupId: string;
  /** Start at the earliest offset when the group has no committed offset (default false). */
  fromBeginning?: boolean;
  /** Dedup by message id (default: on when the module has a dedup store). */
  dedup?: HandlerDedupOption;
  /** Dead-letter topic; reserved for the retry/DLT feature (not published to yet). */
  deadLetterTopic?: string | false;
}

/** A handler's options after module defaults are merged in. */
export interface ResolvedHandlerOptions {
  topics: (string | RegExp)[];
  groupId: string;
  fromBeginning: boolean;
  maxBatchSize: number;
  dedup: 'off' | 'on' | 'transactional';
  retry: RetryPolicy;
  deadLetterTopic: string | false;
  concurrency: number;
  sessionTimeout: number;
  heartbeatInterval: number;
}
