import type {
  HandlerDefaults,
  OrderingMode,
  ResolvedHandlerDefaults,
} from '../interfaces/batch-handler-options.interface';
import { CONFIG_MESSAGES } from '../reliable-kafka.messages';
import {
  errorClasses,
  fail,
  knownKeysOnly,
  nonNegativeInteger,
  oneOf,
  positiveInteger,
} from './option-checks.util';
import { KNOWN_OPTION_KEYS } from './known-option-keys';

/**
 * Merges `given` over `base` and validates the result. `prefix` names where the values came from
 * (`consumer` for module defaults, `Class.method` for a handler) so errors point at the right place.
 */
export function resolveHandlerDefaults(
  prefix: string,
  given: HandlerDefaults | undefined,
  base: ResolvedHandlerDefaults,
): ResolvedHandlerDefaults {
  const g = given ?? {};
  knownKeysOnly(`${prefix}.retry`, g.retry, KNOWN_OPTION_KEYS.retry);
  const retry = { ...base.retry, ...(g.retry ?? {}) };
  const resolved: ResolvedHandlerDefaults = {
    maxBatchSize: positiveInteger(`${prefix}.maxBatchSize`, g.maxBatchSize ?? base.maxBatchSize),
    retry: {
      maxAttempts: positiveInteger(`${prefix}.retry.maxAttempts`, retry.maxAttempts),
      initialDelayMs: nonNegativeInteger(`${prefix}.retry.initialDelayMs`, retry.initialDelayMs),
      maxDelayMs: nonNegativeInteger(`${prefix}.retry.maxDelayMs`, retry.maxDelayMs),
      nonRetryable: errorClasses(`${prefix}.retry.nonRetryable`, retry.nonRetryable),
    },
    concurrency: positiveInteger(`${prefix}.concurrency`, g.concurrency ?? base.concurrency),
    ordering: oneOf<OrderingMode>(`${prefix}.ordering`, g.ordering ?? base.ordering, [
      'partition',
      'key',
      'unordered',
    ]),
    maxProcessingTimeMs: positiveInteger(
      `${prefix}.maxProcessingTimeMs`,
      g.maxProcessingTimeMs ?? base.maxProcessingTimeMs,
    ),
    commitIntervalMs: nonNegativeInteger(
      `${prefix}.commitIntervalMs`,
      g.commitIntervalMs ?? base.commitIntervalMs,
    ),
    sessionTimeout: positiveInteger(`${prefix}.sessionTimeout`, g.sessionTimeout ?? base.sessionTimeout),
    heartbeatInterval: positiveInteger(
      `${prefix}.heartbeatInterval`,
      g.heartbeatInterval ?? base.heartbeatInterval,
    ),
  };
  const callTimeoutMs = g.callTimeoutMs ?? base.callTimeoutMs;
  if (callTimeoutMs !== undefined)
    resolved.callTimeoutMs = nonNegativeInteger(`${prefix}.callTimeoutMs`, callTimeoutMs);
  const stallAfterMs = g.stallAfterMs ?? base.stallAfterMs;
  if (stallAfterMs !== undefined)
    resolved.stallAfterMs = positiveInteger(`${prefix}.stallAfterMs`, stallAfterMs);
  const rebalanceTimeout = g.rebalanceTimeout ?? base.rebalanceTimeout;
  if (rebalanceTimeout !== undefined)
    resolved.rebalanceTimeout = positiveInteger(`${prefix}.rebalanceTimeout`, rebalanceTimeout);
  if (resolved.retry.maxDelayMs < resolved.retry.initialDelayMs) {
    fail(`${prefix}.retry.maxDelayMs`, CONFIG_MESSAGES.notLessThan(`${prefix}.retry.initialDelayMs`));
  }
  if (resolved.heartbeatInterval * 3 > resolved.sessionTimeout) {
    fail(`${prefix}.heartbeatInterval`, CONFIG_MESSAGES.heartbeatTooSlow());
  }
  return resolved;
}
