import type {
  ReliableBatchHandlerOptions,
  ResolvedHandlerDefaults,
  ResolvedHandlerOptions,
} from '../interfaces/batch-handler-options.interface';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import { CONFIG_MESSAGES } from '../reliable-kafka.messages';
import { fail, knownKeysOnly, nonEmptyString, positiveInteger } from './option-checks.util';
import { KNOWN_OPTION_KEYS } from './known-option-keys';
import { resolveHandlerDefaults } from './resolve-handler-defaults.util';
import { DEDUP_DEFAULTS } from '../dedup/dedup-settings.util';

/** A discovered handler's name (`Class.method`) and raw decorator options. */
export interface HandlerDeclaration {
  name: string;
  options: ReliableBatchHandlerOptions;
}

/**
 * Merges module defaults into one handler's options and validates them. Pure.
 * Errors name the handler (`OrdersConsumer.handle: groupId`).
 */
export function resolveHandlerOptions(
  declaration: HandlerDeclaration,
  module: ResolvedReliableKafkaOptions,
): ResolvedHandlerOptions {
  const { name, options } = declaration;
  const at = (option: string): string => `${name}: ${option}`;
  knownKeysOnly(at, options, KNOWN_OPTION_KEYS.handler);
  if (!options || typeof options.groupId !== 'string' || options.groupId.trim() === '') {
    fail(at('groupId'), CONFIG_MESSAGES.missingGroupId());
  }
  knownKeysOnly(at('retryTopics'), options.retryTopics, KNOWN_OPTION_KEYS.retryTopics);
  knownKeysOnly(at('dedup'), options.dedup, KNOWN_OPTION_KEYS.handlerDedup);
  const topics = [...(options.topic !== undefined ? [options.topic] : []), ...(options.topics ?? [])];
  if (topics.length === 0) fail(at('topic'), CONFIG_MESSAGES.missingTopic());
  topics.forEach((t, i) => {
    if (!(t instanceof RegExp)) nonEmptyString(at(`topics[${i}]`), t);
  });

  const storeName = module.dedup.store;
  const wanted = options.dedup ?? storeName !== 'none';
  const transactional = typeof wanted === 'object' && wanted.transactional === true;
  const dedupOn = wanted !== false;
  if (dedupOn && storeName === 'none' && options.dedup !== undefined)
    fail(at('dedup'), CONFIG_MESSAGES.dedupWithoutStore());
  if (transactional && storeName !== 'postgres') {
    fail(at('dedup.transactional'), CONFIG_MESSAGES.transactionalNeedsPostgres(storeName));
  }
  const dlt = options.deadLetterTopic;
  if (dlt !== undefined && dlt !== false && (typeof dlt !== 'string' || dlt.trim() === ''))
    fail(at('deadLetterTopic'), CONFIG_MESSAGES.deadLetterTopic(dlt));

  const defaults = resolveHandlerDefaults(name, options, module.consumer);
  const retryTopicDelaysMs = resolveRetryTopicDelays(at('retryTopics'), options.retryTopics);
  if (retryTopicDelaysMs.length > 0) {
    checkRetryTopics(at, options, topics);
    // Each stage (the topic itself included) gives a message one attempt; the module default does not apply.
    defaults.retry = { ...defaults.retry, maxAttempts: 1 };
  }
  const timeouts = callTimeouts(at, defaults);
  if (dedupOn && !transactional && storeName !== 'none') checkClaimCoversCall(at, module, timeouts, defaults);
  return {
    topics,
    groupId: options.groupId,
    fromBeginning: options.fromBeginning === true,
    dedup: !dedupOn || storeName === 'none' ? 'off' : transactional ? 'transactional' : 'on',
    deadLetterTopic: dlt,
    ...defaults,
    ...timeouts,
    stallAfterMs:
      defaults.stallAfterMs ?? STALL_BASE_MS + defaults.retry.maxAttempts * defaults.retry.maxDelayMs,
    retryTopicDelaysMs,
  };
}

/** The part of the default `stallAfterMs` beyond the backoffs a record's attempts may take. */
export const STALL_BASE_MS = 60_000;

/** Time a member needs beyond its longest call to commit and rejoin, in the default rebalance timeout. */
export const REBALANCE_MARGIN_MS = 15_000;

/** The call timeout (default `maxProcessingTimeMs`) and the rebalance timeout that covers it. */
function callTimeouts(
  at: (option: string) => string,
  d: ResolvedHandlerDefaults,
): Pick<ResolvedHandlerOptions, 'callTimeoutMs' | 'rebalanceTimeout'> {
  const callTimeoutMs = d.callTimeoutMs ?? d.maxProcessingTimeMs;
  const longestCall = callTimeoutMs > 0 ? callTimeoutMs : d.maxProcessingTimeMs;
  // Derived: the longest call plus the margin, and never below the session timeout (Kafka requires that).
  const rebalanceTimeout =
    d.rebalanceTimeout ?? Math.max(longestCall + REBALANCE_MARGIN_MS, d.sessionTimeout);
  if (rebalanceTimeout < d.sessionTimeout)
    fail(at('rebalanceTimeout'), CONFIG_MESSAGES.rebalanceBelowSession(rebalanceTimeout, d.sessionTimeout));
  return { callTimeoutMs, rebalanceTimeout };
}

/**
 * A claim must protect an id for as long as a call on it may run, or another consumer could claim and run it
 * meanwhile (plain dedup; transactional claims are row locks held for the call itself).
 */
function checkClaimCoversCall(
  at: (option: string) => string,
  module: ResolvedReliableKafkaOptions,
  timeouts: Pick<ResolvedHandlerOptions, 'callTimeoutMs'>,
  defaults: ResolvedHandlerDefaults,
): void {
  const claimTtlMs = (module.dedup as { claimTtlMs?: number }).claimTtlMs ?? DEDUP_DEFAULTS.claimTtlMs;
  const callBound = timeouts.callTimeoutMs > 0 ? timeouts.callTimeoutMs : defaults.maxProcessingTimeMs;
  if (claimTtlMs < callBound)
    fail(at('callTimeoutMs'), CONFIG_MESSAGES.claimShorterThanCall(claimTtlMs, callBound));
}

/** Retry stage delays: a non-empty list of positive integers, or none when the option is absent. */
function resolveRetryTopicDelays(
  option: string,
  given: ReliableBatchHandlerOptions['retryTopics'],
): number[] {
  if (given === undefined) return [];
  const delays: unknown = given?.delaysMs;
  if (!Array.isArray(delays) || delays.length === 0)
    fail(`${option}.delaysMs`, CONFIG_MESSAGES.retryDelays());
  const resolved = delays.map((d, i) => positiveInteger(`${option}.delaysMs[${i}]`, d));
  resolved.forEach((d, i) => {
    if (resolved.indexOf(d) !== i) fail(`${option}.delaysMs[${i}]`, CONFIG_MESSAGES.retryDelaysDistinct(d));
  });
  return resolved;
}

/** What retry topics rule out: in-place attempts, topic patterns, and no dead-letter topic after the last stage. */
function checkRetryTopics(
  at: (option: string) => string,
  options: ReliableBatchHandlerOptions,
  topics: readonly (string | RegExp)[],
): void {
  if (options.retry?.maxAttempts !== undefined)
    fail(at('retry.maxAttempts'), CONFIG_MESSAGES.retryTopicsWithMaxAttempts());
  if (topics.some((t) => t instanceof RegExp))
    fail(at('retryTopics'), CONFIG_MESSAGES.retryTopicsNeedNames());
  if (options.deadLetterTopic === false)
    fail(at('deadLetterTopic'), CONFIG_MESSAGES.retryTopicsNeedDeadLetters());
}

/** Validates the whole set: each handler alone, then that no two share a consumer group. */
export function resolveAllHandlerOptions(
  declarations: readonly HandlerDeclaration[],
  module: ResolvedReliableKafkaOptions,
): ResolvedHandlerOptions[] {
  const byGroup = new Map<string, string>();
  return declarations.map((declaration) => {
    const resolved = resolveHandlerOptions(declaration, module);
    const other = byGroup.get(resolved.groupId);
    if (other)
      fail(`${declaration.name}: groupId`, CONFIG_MESSAGES.duplicateGroupId(resolved.groupId, other));
    byGroup.set(resolved.groupId, declaration.name);
    return resolved;
  });
}
