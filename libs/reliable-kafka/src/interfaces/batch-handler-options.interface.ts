/** An error class, matched with `instanceof`. */
export type ErrorClass = new (...args: never[]) => Error;

/**
 * In-process retry of a failing message. Attempts are counted per message (topic/partition/offset), for the
 * failed message only; after the last one it is dead-lettered (or, with `deadLetterTopic: false`, handed back
 * to kafkajs, which redelivers it from the last committed offset).
 */
export interface RetryPolicy {
  /** Attempts per message including the first (default 3). */
  maxAttempts: number;
  /** Delay before the second attempt (default 200 ms); doubles per attempt, with jitter. */
  initialDelayMs: number;
  /** Largest delay between attempts (default 5000 ms). Waits heartbeat, so they may exceed the session timeout. */
  maxDelayMs: number;
  /**
   * Errors that no retry can fix: the message is dead-lettered after its first failure. Matched against the
   * thrown error and, for a `BatchFailedError`, its cause. Default `[DeserializationError]`; a list given here
   * replaces the default (add `DeserializationError` back to keep it).
   */
  nonRetryable: ErrorClass[];
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
  /**
   * Where a message goes after its last attempt (or its first non-retryable failure). Default: `<topic>.dlt`
   * of the topic it came from. A string sends every dead letter of this handler to that topic; `false` turns
   * dead-lettering off, so a message that keeps failing blocks its partition (it is never skipped).
   */
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
  /** A fixed topic, `false` (off), or `undefined` for the default `<source topic>.dlt`. */
  deadLetterTopic: string | false | undefined;
  concurrency: number;
  sessionTimeout: number;
  heartbeatInterval: number;
}
