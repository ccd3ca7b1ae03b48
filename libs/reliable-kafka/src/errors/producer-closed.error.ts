/** `send()` was called after the application began shutting down; the producer accepts no new messages. */
export class ProducerClosedError extends Error {
  constructor(
    /** Topic of the refused send. */
    readonly topic: string,
  ) {
    super(
      `ReliableProducerService is shut down: send to topic '${topic}' refused. Send before application shutdown.`,
    );
    this.name = 'ProducerClosedError';
  }
}
