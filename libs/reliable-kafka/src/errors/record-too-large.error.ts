/**
 * The cause of a DeliveryError when the broker refused a record on its own as too large (MESSAGE_TOO_LARGE or
 * RECORD_LIST_TOO_LARGE for a request holding only it): it was not written, and will not be as it is.
 */
export class RecordTooLargeError extends Error {
  constructor(
    readonly topic: string,
    readonly partition: number,
    /** The record's size estimate in bytes (key, value, headers). */
    readonly bytes: number,
    override readonly cause: unknown,
  ) {
    super(
      `a record of about ${bytes} bytes is too large for ${topic}/${partition}. ` +
        "Fix: send smaller records, or raise the topic's max.message.bytes (and producer.maxBatchBytes).",
    );
    this.name = 'RecordTooLargeError';
  }
}
