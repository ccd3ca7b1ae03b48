import { shownValue } from './options/shown-value.util';

/** Every user-facing message of the module, so wording stays consistent and greppable. */

/** Problem/fix pairs for `InvalidConfigError`. */
export const CONFIG_MESSAGES = {
  missingOptions: () => ({
    problem: 'no options were given',
    fix: 'call ReliableKafkaModule.forRoot({ client: { clientId, brokers: [...] } })',
  }),
  missingBrokers: () => ({
    problem: 'no brokers were given',
    fix: "set client.brokers to a non-empty list such as ['127.0.0.1:9092'] (or a function returning one)",
  }),
  oneOf: (allowed: readonly (string | number)[], got: unknown) => ({
    problem: `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${shownValue(got)}`,
    fix: `use one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
  }),
  redisUrl: () => ({
    problem: "the 'redis' dedup store needs a url",
    fix: "set dedup.url, e.g. 'redis://127.0.0.1:6379'",
  }),
  postgresDataSource: () => ({
    problem: "the 'postgres' dedup store needs a TypeORM DataSource",
    fix: 'pass dedup.dataSource (use forRootAsync with inject to get it from your TypeORM module)',
  }),
  unsafeAcks: (acks: number) => ({
    problem: `acks ${acks} lets the broker acknowledge messages that a leader failure can lose`,
    fix: "remove producer.acks (default -1), or set unsafeConfig: 'warn' and producer.idempotent: false to accept the risk",
  }),
  idempotentNeedsAcksAll: (acks: number) => ({
    problem: `an idempotent producer requires acks -1, got acks ${acks}`,
    fix: 'set producer.idempotent: false together with a non-default producer.acks, or use acks -1',
  }),
  idempotenceOff: () => ({
    problem: 'without idempotence a retried send can write the same message twice',
    fix: "remove producer.idempotent (default true), or set unsafeConfig: 'warn' to accept duplicates",
  }),
  positiveInteger: (got: unknown) => ({
    problem: `expected a positive integer, got ${shownValue(got)}`,
    fix: 'use a whole number greater than zero',
  }),
  nonNegativeInteger: (got: unknown) => ({
    problem: `expected an integer >= 0, got ${shownValue(got)}`,
    fix: 'use a whole number, 0 or more',
  }),
  notLessThan: (other: string) => ({
    problem: `must not be smaller than ${other}`,
    fix: `raise it to at least ${other}`,
  }),
  claimShorterThanCall: (claimTtlMs: number, callBoundMs: number) => ({
    problem: `a call may run ${callBoundMs} ms but a dedup claim protects its ids for only ${claimTtlMs} ms (dedup.claimTtlMs): another consumer could run them meanwhile`,
    fix: "lower the handler's callTimeoutMs (or maxProcessingTimeMs) below dedup.claimTtlMs, or raise dedup.claimTtlMs",
  }),
  retentionBelowClaim: (retentionMs: number, claimTtlMs: number) => ({
    problem: `dedup.retentionMs (${retentionMs} ms) is shorter than dedup.claimTtlMs (${claimTtlMs} ms)`,
    fix: 'raise dedup.retentionMs: a done id must be remembered at least as long as a claim lasts',
  }),
  rebalanceBelowSession: (rebalanceTimeout: number, sessionTimeout: number) => ({
    problem: `a rebalanceTimeout of ${rebalanceTimeout} ms is below the sessionTimeout (${sessionTimeout} ms)`,
    fix: 'raise rebalanceTimeout to at least sessionTimeout (it must also cover your longest handler call)',
  }),
  heartbeatTooSlow: () => ({
    problem:
      'the heartbeat interval must be well below the session timeout, or the group evicts a busy consumer',
    fix: 'use a heartbeatInterval of at most a third of sessionTimeout',
  }),
  boolean: (got: unknown) => ({
    problem: `expected true or false, got ${shownValue(got)}`,
    fix: 'use true or false',
  }),
  nonEmptyString: (got: unknown) => ({
    problem: `expected a non-empty string, got ${shownValue(got)}`,
    fix: 'give a non-empty string',
  }),
  function: (got: unknown) => ({
    problem: `expected a function, got ${typeof got}`,
    fix: 'pass a function',
  }),
  missingGroupId: () => ({
    problem: 'every @ReliableBatchHandler needs its own consumer group',
    fix: "add groupId, e.g. @ReliableBatchHandler({ topic: 'orders', groupId: 'billing' })",
  }),
  missingTopic: () => ({
    problem: 'no topic to consume',
    fix: "add topic: 'name' or topics: ['a', 'b'] to @ReliableBatchHandler",
  }),
  duplicateGroupId: (groupId: string, other: string) => ({
    problem: `groupId "${groupId}" is also used by ${other}; two handlers in one group would split the partitions between them`,
    fix: 'give each @ReliableBatchHandler its own groupId',
  }),
  dedupWithoutStore: () => ({
    problem: "the handler asks for dedup but the module has dedup store 'none'",
    fix: "configure dedup in forRoot (e.g. { store: 'redis', url }) or set dedup: false on the handler",
  }),
  transactionalNeedsPostgres: (store: string) => ({
    problem: `transactional dedup needs the 'postgres' store, the module has '${store}'`,
    fix: "use dedup: { store: 'postgres', dataSource } in forRoot, or dedup: true on the handler",
  }),
  errorClasses: (got: unknown) => ({
    problem: `expected an array of error classes, got ${shownValue(got)}`,
    fix: 'use e.g. retry: { nonRetryable: [DeserializationError, BadRequestException] }',
  }),
  retryDelays: () => ({
    problem: 'retryTopics.delaysMs must be a non-empty list of delays in milliseconds',
    fix: 'use retryTopics: { delaysMs: [1000, 10000, 60000] }, or leave retryTopics out for in-place retries',
  }),
  retryTopicsWithMaxAttempts: () => ({
    problem:
      'retryTopics and retry.maxAttempts cannot be combined: with retry topics the stages are the attempts (one attempt on the topic, one per stage)',
    fix: 'remove retry.maxAttempts, or remove retryTopics for in-place retries',
  }),
  retryTopicsNeedNames: () => ({
    problem:
      'retryTopics needs topic names: the stage topics <topic>.retry.<delay> cannot be derived from a pattern',
    fix: "list the topics by name (topics: ['orders', 'payments']), or leave retryTopics out",
  }),
  retryTopicsNeedDeadLetters: () => ({
    problem: 'retryTopics needs a dead-letter topic: a message that fails its last stage must go somewhere',
    fix: "remove deadLetterTopic: false (default '<topic>.dlt'), or leave retryTopics out",
  }),
  retryDelaysDistinct: (delay: number) => ({
    problem: `retryTopics.delaysMs lists ${delay} twice; each delay names its own stage topic (<topic>.retry.${delay})`,
    fix: 'use distinct delays, e.g. [1000, 2000, 4000]',
  }),
  unknownOption: (key: string, closest: string | undefined, known: readonly string[]) => ({
    problem: `${JSON.stringify(key)} is not an option here${closest ? ` (did you mean ${JSON.stringify(closest)}?)` : ''}; an unknown option would be ignored and its setting silently lost`,
    fix: closest
      ? `rename it to ${JSON.stringify(closest)}`
      : `remove it; the options here are ${known.join(', ')}`,
  }),
  redisUrlInvalid: (shown: string, reason: string) => ({
    problem: `${shown} is not a Redis URL (${reason})`,
    fix: "use redis://[user:password@]host:port[/db] (rediss:// for TLS), e.g. 'redis://127.0.0.1:6379'",
  }),
  deadLetterTopic: (got: unknown) => ({
    problem: `expected a topic name or false, got ${shownValue(got)}`,
    fix: "leave deadLetterTopic out (default '<topic>.dlt'), or use deadLetterTopic: 'orders.dlt' or false",
  }),
};

/** Runtime log lines. */
export const RUNTIME_MESSAGES = {
  unsafeAccepted: (what: string) => `Unsafe configuration accepted (unsafeConfig: 'warn'): ${what}`,
  handlerStarted: (name: string, groupId: string, topics: string) =>
    `Reliable handler ${name} consuming ${topics} as group "${groupId}"`,
  attemptFailed: (groupId: string, where: string, attempt: number, max: number, reason: string) =>
    `Group "${groupId}" failed ${where} (attempt ${attempt}/${max}): ${reason}; nothing past the failure is committed`,
  isolating: (groupId: string, where: string) =>
    `Group "${groupId}" retries the rest of the chunk from ${where} one message at a time to find the failing one`,
  deadLetterWaiting: (groupId: string, where: string, dlt: string, reason: string, delayMs: number) =>
    `Group "${groupId}" could not dead-letter ${where} to "${dlt}" (${reason}); retrying in ${delayMs} ms, not committing past it`,
  deadLetterTooLarge: (groupId: string, where: string, dlt: string) =>
    `Group "${groupId}" cannot dead-letter ${where}: "${dlt}" refuses it as too large, even with its failure headers cut down. ` +
    `The partition waits here (nothing is skipped) and retries. Fix: raise max.message.bytes of "${dlt}" above the source topic's (topics the module provisions get 64 KiB more)`,
  deadLettered: (groupId: string, where: string, dlt: string, attempts: number, reason: string) =>
    `Group "${groupId}" dead-lettered ${where} to "${dlt}" after ${attempts} attempt(s): ${reason}`,
  retryWaiting: (groupId: string, where: string, stage: string, reason: string, delayMs: number) =>
    `Group "${groupId}" could not forward ${where} to retry stage "${stage}" (${reason}); retrying in ${delayMs} ms, not committing past it`,
  forwardedToRetry: (groupId: string, where: string, stage: string, attempts: number, reason: string) =>
    `Group "${groupId}" forwarded ${where} to retry stage "${stage}" after ${attempts} attempt(s): ${reason}`,
  handingBack: (groupId: string, where: string) =>
    `Group "${groupId}" gives ${where} back to kafkajs for redelivery from the last committed offset`,
  dedupWaiting: (groupId: string, where: string, reason: string, delayMs: number) =>
    `Group "${groupId}" waits ${delayMs} ms for the dedup store before ${where}: ${reason}; not skipping, not committing`,
  heartbeatFailed: (groupId: string, reason: string) =>
    `Group "${groupId}" heartbeat failed during a handler (${reason}); the batch stops at the next boundary`,
  releaseFailed: (groupId: string, reason: string) =>
    `Group "${groupId}" could not release dedup claims (${reason}); they expire after the claim TTL`,
  prefixCommitFailed: (groupId: string, reason: string) =>
    `Group "${groupId}" could not commit the successful prefix of a failed batch: ${reason}`,
  consumerStopped: (name: string, groupId: string, reason: string) =>
    `Consumer of ${name} (group "${groupId}") crashed and kafkajs will not restart it: ${reason}; nothing more is consumed or committed`,
  shuttingDown: (count: number) => `Stopping ${count} reliable consumer(s): finishing in-flight batches`,
  abandoningCalls: (ms: number) =>
    `Handler calls still running ${ms} ms into shutdown (shutdownTimeoutMs): giving them up (their ctx.signal is aborted, nothing of them is committed)`,
};

/** Describes a record position for logs and errors. */
export const where = (topic: string, partition: number, offset: string): string =>
  `${topic}[${partition}]@${offset}`;
