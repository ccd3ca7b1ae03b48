import { BatchFailedError } from '../errors/batch-failed.error';
import { DeserializationError } from '../errors/deserialization.error';
import { isNonRetryable, rootError } from './retry-classifier.util';

class ValidationFailed extends Error {}
class StrictValidationFailed extends ValidationFailed {}

describe('retry classifier', () => {
  const poison = new DeserializationError('t', 0, '1', new SyntaxError('bad'));

  it('matches the error, its subclasses, and the cause of a BatchFailedError', () => {
    expect(isNonRetryable(poison, [DeserializationError])).toBe(true);
    expect(isNonRetryable(new StrictValidationFailed(), [ValidationFailed])).toBe(true);
    expect(isNonRetryable(new BatchFailedError(2, new ValidationFailed()), [ValidationFailed])).toBe(true);
  });

  it('does not match other errors or an empty list', () => {
    expect(isNonRetryable(new Error('db down'), [DeserializationError, ValidationFailed])).toBe(false);
    expect(isNonRetryable(new BatchFailedError(0, new Error('x')), [ValidationFailed])).toBe(false);
    expect(isNonRetryable(poison, [])).toBe(false);
    expect(isNonRetryable('a string', [ValidationFailed])).toBe(false);
  });

  it('describes a BatchFailedError by its cause', () => {
    const cause = new Error('inner');
    expect(rootError(new BatchFailedError(1, cause))).toBe(cause);
    expect(rootError(poison)).toBe(poison);
  });
});
