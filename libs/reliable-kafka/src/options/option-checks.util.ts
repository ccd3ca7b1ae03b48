import { InvalidConfigError } from '../errors/invalid-config.error';
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
