import { InvalidConfigError } from '../errors/invalid-config.error';
import { distance } from 'fastest-levenshtein';
import { CONFIG_MESSAGES } from '../reliable-kafka.messages';
import type { ErrorClass } from '../interfaces/batch-handler-options.interface';

/** Throws InvalidConfigError for `option` with a message from CONFIG_MESSAGES. */
export function fail(option: string, message: { problem: string; fix: string }): never {
  throw new InvalidConfigError(option, message.problem, message.fix);
}

export function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(option, CONFIG_MESSAGES.positiveInteger(value));
  }
  return value;
}

export function nonNegativeInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail(option, CONFIG_MESSAGES.nonNegativeInteger(value));
  }
  return value;
}

export function nonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(option, CONFIG_MESSAGES.nonEmptyString(value));
  return value;
}

export function oneOf<T extends string | number>(option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(option, CONFIG_MESSAGES.oneOf(allowed, value));
  return value as T;
}

export function optionalFunction<F>(option: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(option, CONFIG_MESSAGES.function(value));
  return value as F;
}

/** An array of classes (constructor functions) for `instanceof` checks. */
export function errorClasses(option: string, value: unknown): ErrorClass[] {
  if (!Array.isArray(value) || !value.every((c) => typeof c === 'function'))
    fail(option, CONFIG_MESSAGES.errorClasses(value));
  return [...(value as ErrorClass[])];
}

/**
 * Rejects a key of the options object `value` that is not in `known`, naming the closest known one: a misspelt
 * option (`dedupe`, `maxBatchsize`, `claimTTLMs`) would otherwise be ignored and its setting silently lost.
 */
export function knownKeysOnly(
  option: string | ((key: string) => string),
  value: unknown,
  known: readonly string[],
): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const path = typeof option === 'function' ? option(key) : option === '' ? key : `${option}.${key}`;
    fail(path, CONFIG_MESSAGES.unknownOption(key, closestName(key, known), known));
  }
}

/**
 * The known name nearest to `key` if it is near enough to be a typo: case-insensitive edit distance within a
 * third of the length (at least 2), starting with the same letter unless one edit away (so `retries` suggests
 * `retry`, not `metrics`); ties go to the longer common prefix.
 */
function closestName(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const limit = Math.max(2, Math.ceil(key.length / 3));
  let best: { name: string; d: number; prefix: number } | undefined;
  for (const name of known) {
    const other = name.toLowerCase();
    const d = distance(lower, other);
    if (d > limit || (d > 1 && other[0] !== lower[0])) continue;
    const prefix = commonPrefixLength(lower, other);
    if (!best || d < best.d || (d === best.d && prefix > best.prefix)) best = { name, d, prefix };
  }
  return best?.name;
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
