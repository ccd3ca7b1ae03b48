import { BatchFailedError } from '../errors/batch-failed.error';
import type { ErrorClass } from '../interfaces/batch-handler-options.interface';

/** The error that describes the failure: a `BatchFailedError`'s cause, else the error itself. */
export function rootError(error: unknown): unknown {
  return error instanceof BatchFailedError ? error.cause : error;
}

/** True when the error (or a `BatchFailedError`'s cause) is an instance of one of `classes`. */
export function isNonRetryable(error: unknown, classes: readonly ErrorClass[]): boolean {
  const candidates = [error, rootError(error)];
  return classes.some((cls) => candidates.some((candidate) => candidate instanceof cls));
}
