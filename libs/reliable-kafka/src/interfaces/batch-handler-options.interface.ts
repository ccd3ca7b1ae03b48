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

/**
 * How messages of one partition may run concurrently (see DESIGN §2):
 * - `partition`: one handler call at a time per partition, in log order (default);
 * - `key`: calls for different keys run in parallel, messages of one key stay in order (one call holds one key);
 * - `unordered`: any message may run beside any other; per-key order is given up.
 * In every mode the committed offset is the end of the contiguous completed prefix.
 */
export type OrderingMode = 'partition' | 'key' | 'unordered';

/**
 * Non-blocking retries (like Spring's `@RetryableTopic`): a failed message is committed past and republished to
 * `<topic>.retry.<delay>` stages, each consumed once its due time passed, then to the dead-letter topic.
 * Gives up ordering: a retried message is handled after messages that came after it.
 */
export interface RetryTopicsOptions {
  /** One stage per delay, in milliseconds, in order (e.g. `[1000, 10000, 60000]`). */
  delaysMs: number[];
}

/** Per-handler dedup switch; `transactional` hands the handler the dedup transaction's EntityManager. */
export type HandlerDedupOption = boolean | { transactional?: boolean };

/** Settings every handler inherits from the module (`consumer` option) unless it overrides them. */
export interface HandlerDefaults {
  /** Largest number of messages given to one handler call (default 100). */
  maxBatchSize?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * Handler calls in flight at once for this handler, across its partitions (default 1). With `ordering:
   * 'partition'` that is how many partitions run at once; with `key` or `unordered` calls within one partition
   * share it too. Also the backpressure bound: no new call starts while this many are running.
   */
  concurrency?: number;
  /** See `OrderingMode` (default 'partition'). */
  ordering?: OrderingMode;
  /**
   * Longest a handler call is expected to take (default 300000 ms, Kafka's own `max.poll.interval.ms`). A call
   * running longer is reported as stuck by the health indicator; it is also the default of `callTimeoutMs` and
   * the base of the default `rebalanceTimeout`.
   */
  maxProcessingTimeMs?: number;
  /**
   * After this long a handler call counts as failed (`HandlerCallAbortedError`, then the retry path) and its
   * `ctx.signal` is aborted, so well-behaved code stops its work (default: `maxProcessingTimeMs`; 0 turns it off).
   * JavaScript cannot kill a promise: the abandoned call's effects may still land later, while the record is
   * retried; with dedup the retry claims the id afresh, so such an effect can happen twice.
   */
  callTimeoutMs?: number;
  /**
   * How long the group waits for this member to rejoin during a rebalance (kafkajs `rebalanceTimeout`). A member
   * finishes its calls in flight before rejoining, so it must cover the longest call: default the call timeout
   * (or `maxProcessingTimeMs` when it is off) plus 15 s for the last commit and the join.
   */
  rebalanceTimeout?: number;
  /**
   * A partition with records waiting that has not moved for this long (no record handled, deduplicated,
   * dead-lettered or committed; a running call is judged by `maxProcessingTimeMs` instead) turns health down,
   * naming it and what it waits for (dedup store, a claim held elsewhere, a dead letter). Default: one minute plus
   * the longest backoff a record's attempts may take (`retry.maxAttempts` x `retry.maxDelayMs`).
   */
  stallAfterMs?: number;
  /**
   * Least time between two offset commits of one partition while a fetched batch is processed (default 50 ms);
   * the batch's last commit never waits. A batch of many short calls would otherwise commit once per round trip,
   * each a replicated write for the brokers. 0 commits after every call. After a crash, work finished within
   * this window is delivered again (a no-op with the dedup guard).
   */
  commitIntervalMs?: number;
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
  /** Non-blocking retry stages (opt-in); default off: retries happen in place, blocking the partition. */
  retryTopics?: RetryTopicsOptions;
}

/**
 * `HandlerDefaults` with every default filled in (the module's `consumer` option once resolved). The call and
 * rebalance timeouts stay unset until a handler's own `maxProcessingTimeMs` is known: they default from it.
 */
export type ResolvedHandlerDefaults = Required<
  Omit<HandlerDefaults, 'retry' | 'callTimeoutMs' | 'rebalanceTimeout' | 'stallAfterMs'>
> &
  Pick<HandlerDefaults, 'callTimeoutMs' | 'rebalanceTimeout' | 'stallAfterMs'> & { retry: RetryPolicy };

/** A handler's options after module defaults are merged in. */
export interface ResolvedHandlerOptions extends ResolvedHandlerDefaults {
  /** Milliseconds, 0 when calls have no timeout. */
  callTimeoutMs: number;
  rebalanceTimeout: number;
  stallAfterMs: number;
  topics: (string | RegExp)[];
  groupId: string;
  fromBeginning: boolean;
  dedup: 'off' | 'on' | 'transactional';
  /** A fixed topic, `false` (off), or `undefined` for the default `<source topic>.dlt`. */
  deadLetterTopic: string | false | undefined;
  /** Retry stage delays in ms, empty when retry topics are off. */
  retryTopicDelaysMs: number[];
}
