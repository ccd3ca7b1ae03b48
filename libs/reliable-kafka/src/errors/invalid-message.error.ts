/** A message given to `send()` cannot be encoded; nothing of the send was written. */
export class InvalidMessageError extends Error {
  constructor(
    readonly topic: string,
    /** Position of the bad message in the send's array. */
    readonly index: number,
    /** What is wrong, and how to fix it. */
    readonly reason: string,
  ) {
    super(`Cannot send message ${index} to '${topic}': ${reason}. Nothing of this send was written.`);
    this.name = 'InvalidMessageError';
  }
}
