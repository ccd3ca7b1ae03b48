/** A topic spec is invalid, or the cluster refused to create or change a topic. */
export class TopicProvisioningError extends Error {
  constructor(
    /** The topic concerned. */
    readonly topic: string,
    /** What went wrong. */
    readonly problem: string,
    /** How to fix it. */
    readonly fix: string,
    /** The kafkajs error, when the cluster refused. */
    override readonly cause?: unknown,
  ) {
    super(`Cannot provision topic "${topic}": ${problem}. Fix: ${fix}`);
    this.name = 'TopicProvisioningError';
  }
}
