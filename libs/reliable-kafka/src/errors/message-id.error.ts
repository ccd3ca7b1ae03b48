import { DeserializationError } from './deserialization.error';

/**
 * A record's message id could not be read: the `messageIdExtractor` threw, or returned something that is neither
 * a non-empty string nor a Buffer. The record fails like one that cannot be deserialized (a subclass of
 * DeserializationError, non-retryable by default): the records before it are handled, it goes to the dead-letter
 * topic with this reason, and the partition moves on. It is never skipped silently.
 */
export class MessageIdError extends DeserializationError {
  constructor(topic: string, partition: number, offset: string, reason: string, cause?: unknown) {
    super(topic, partition, offset, cause);
    this.message = `Cannot read the message id of ${topic}[${partition}]@${offset}: ${reason}`;
    this.name = 'MessageIdError';
  }
}
