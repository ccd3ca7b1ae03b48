/** Thrown at startup when an option is missing, invalid or unsafe. The message names the option and the fix. */
export class InvalidConfigError extends Error {
  constructor(
    /** Dotted path of the offending option, e.g. `client.brokers` or `OrdersConsumer.handle: groupId`. */
    readonly option: string,
    /** What is wrong with it. */
    readonly problem: string,
    /** How to fix it. */
    readonly fix: string,
  ) {
    super(
      `Invalid nestjs-reliable-kafka option "${option}": ${problem}. Fix: ${fix}. The application did not start: nothing was consumed or sent.`,
    );
    this.name = 'InvalidConfigError';
  }
}
