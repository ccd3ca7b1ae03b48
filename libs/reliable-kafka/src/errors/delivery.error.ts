/**
 * A send was not acknowledged by the broker within the delivery timeout (or failed with a non-retriable error).
 * The messages may or may not have been written: a retried send carries the same `message-id`, so consumers with
 * dedup on process it once.
 */
export class DeliveryError extends Error {
  constructor(
    /** Topic of the failed send. */
    readonly topic: string,
    /** The last error seen (a kafkajs error, or a timeout). */
    override readonly cause: unknown,
    /** Produce attempts made (kafkajs' own quick retries inside one attempt not counted). */
    readonly attempts: number,
    /** Ids stamped on (or read from) the messages of the failed send. */
    readonly messageIds: readonly string[] = [],
  ) {
    super(
      `Delivery to topic '${topic}' failed after ${attempts} attempt(s): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
    this.name = 'DeliveryError';
  }
}
