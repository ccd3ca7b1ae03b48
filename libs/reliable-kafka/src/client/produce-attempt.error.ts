/** What a failed produce attempt tells about its records. */
export interface ProduceAttemptFacts {
  /**
   * `'no'`: the broker refused the request before appending (or it never left the client);
   * `'unknown'`: it may be in the log (lost response, timeout, connection closed, leader changed while waiting).
   */
  readonly written: 'no' | 'unknown';
  /** Another attempt may succeed (leader moved, replicas catching up, broker back). */
  readonly retriable: boolean;
  /** The broker refused the request's size (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE): smaller requests may pass. */
  readonly tooLarge: boolean;
  /** The broker no longer accepts this producer's sequence numbers: renew the idempotent session, then retry. */
  readonly sequenceRejected: boolean;
  /** Kafka's error name when the broker answered with one (e.g. `NOT_ENOUGH_REPLICAS`). */
  readonly code?: string;
}

/** One produce attempt failed; `cause` is the client's own error. */
export class ProduceAttemptError extends Error implements ProduceAttemptFacts {
  readonly written: 'no' | 'unknown';
  readonly retriable: boolean;
  readonly tooLarge: boolean;
  readonly sequenceRejected: boolean;
  readonly code?: string;

  constructor(message: string, facts: ProduceAttemptFacts, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProduceAttemptError';
    this.written = facts.written;
    this.retriable = facts.retriable;
    this.tooLarge = facts.tooLarge;
    this.sequenceRejected = facts.sequenceRejected;
    if (facts.code !== undefined) this.code = facts.code;
  }
}
