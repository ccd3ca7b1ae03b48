/**
 * The handler pipeline finished without the commit step seeing a success: an exception filter swallowed
 * the handler's error, or a guard or interceptor short-circuited the handler. Treated as a failure, so the
 * batch is retried and never committed.
 */
export class BatchNotAcknowledgedError extends Error {
  constructor(
    readonly groupId: string,
    readonly topic: string,
    readonly partition: number,
    readonly firstOffset: string,
    /** The handler's own error, when the commit step saw one and something after it swallowed it. */
    override readonly cause?: unknown,
  ) {
    super(
      `Handler of group "${groupId}" finished ${topic}[${partition}]@${firstOffset} without a successful ` +
        'commit step (an exception filter swallowed an error or an interceptor skipped the handler); not committed',
      { cause },
    );
    this.name = 'BatchNotAcknowledgedError';
  }
}
