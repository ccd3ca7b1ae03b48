/** A record's value could not be deserialized. The record is never dropped silently: its batch fails here. */
export class DeserializationError extends Error {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot deserialize the value of ${topic}[${partition}]@${offset}: ${reason}`);
    this.name = 'DeserializationError';
  }
}
