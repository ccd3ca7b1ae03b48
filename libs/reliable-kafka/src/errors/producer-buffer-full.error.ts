/**
 * The cause of a DeliveryError (outcome `not-written`) when a send waited `maxBlockMs` for room in the producer's
 * buffer (`maxBufferedBytes`, `maxBufferedBytesPerTopic`) and got none: the broker is slower than the sends, or
 * unreachable. Nothing of the send was written.
 */
export class ProducerBufferFullError extends Error {
  constructor(
    readonly topic: string,
    /** Bytes the send needed (its records' size estimate). */
    readonly bytes: number,
    readonly maxBlockMs: number,
  ) {
    super(
      `producer buffer full: a send of ${bytes} bytes to '${topic}' waited ${maxBlockMs} ms for room. ` +
        'Fix: slow down the sends, or raise producer.maxBufferedBytes / producer.maxBlockMs.',
    );
    this.name = 'ProducerBufferFullError';
  }
}
