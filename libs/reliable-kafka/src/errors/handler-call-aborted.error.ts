/**
 * A handler call was given up: it ran past `callTimeoutMs`, or the application shut down and `shutdownTimeoutMs`
 * passed. Its `ctx.signal` was aborted with this error. The call counts as failed: nothing of it is committed, and
 * (after a timeout) its records take the retry path. The abandoned promise may still settle later (JavaScript cannot
 * stop it); whatever it does then is ignored.
 */
export class HandlerCallAbortedError extends Error {
  constructor(
    readonly reason: 'call-timeout' | 'shutdown',
    readonly groupId: string,
    readonly topic: string,
    readonly partition: number,
    /** Offset of the call's first message. */
    readonly firstOffset: string,
    /** How long the call had run. */
    readonly afterMs: number,
  ) {
    super(
      reason === 'call-timeout'
        ? `Handler call of group "${groupId}" on ${topic}[${partition}]@${firstOffset} ran past callTimeoutMs (${afterMs} ms); counted as failed`
        : `Handler call of group "${groupId}" on ${topic}[${partition}]@${firstOffset} was still running ${afterMs} ms into shutdown (shutdownTimeoutMs); not committed`,
    );
    this.name = 'HandlerCallAbortedError';
  }
}
