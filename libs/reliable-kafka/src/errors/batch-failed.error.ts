import type { ReliableMessage } from '../interfaces/reliable-message.interface';

/**
 * Throw from a batch handler to say which message failed: messages before it succeeded and are committed, the
 * failed one counts an attempt and is delivered again (from it on) until it succeeds or is dead-lettered.
 *
 * @example throw new BatchFailedError(3, error)           // by index in the array the handler received
 * @example throw new BatchFailedError(messages[3], error) // or by the message itself
 */
export class BatchFailedError extends Error {
  /** Index (in the array the handler received) of the failed message; -1 when given by message. */
  readonly index: number;
  /**
   * The failed message, when it was given instead of an index. Not enumerable: loggers (Nest's exception handler
   * logs the whole error) must not print the message's value.
   */
  declare readonly failedMessage: ReliableMessage | undefined;

  constructor(
    failed: number | ReliableMessage,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const at = typeof failed === 'number' ? `index ${failed}` : `offset ${failed.offset}`;
    super(`Batch failed at message ${at}: ${reason}`);
    this.name = 'BatchFailedError';
    this.index = typeof failed === 'number' ? failed : -1;
    Object.defineProperty(this, 'failedMessage', {
      value: typeof failed === 'number' ? undefined : failed,
      enumerable: false,
    });
  }
}
