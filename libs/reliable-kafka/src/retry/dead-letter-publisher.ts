import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { deadLetterHeaders, type DeadLetterFacts } from './dead-letter-headers.util';

/**
 * Publishes one dead letter (or a record forwarded to a retry stage) and resolves only once the broker
 * acknowledged it. Key and value are the original record's; `headers`, when given, replace the dead-letter
 * headers built from `facts` (a retry stage's headers).
 */
export interface DeadLetterSink {
  publish(topic: string, facts: DeadLetterFacts, headers?: IHeaders): Promise<void>;
}

/**
 * The module's dead-letter (and retry-stage) producer: a dedicated idempotent kafkajs producer (acks -1), connected on the first
 * dead letter. Not `ReliableProducerService`, because that one stamps a message-id header and serializes values,
 * and a dead letter must carry the original key, value and headers byte for byte. The DLT may be missing:
 * kafkajs asks for auto-creation (where the cluster allows it); otherwise the send fails and the caller retries.
 */
export class KafkaDeadLetterPublisher implements DeadLetterSink {
  private connecting: Promise<Producer> | null = null;
  private closed = false;

  constructor(private readonly kafka: Kafka) {}

  async publish(topic: string, facts: DeadLetterFacts, headers?: IHeaders): Promise<void> {
    const producer = await this.producer();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: facts.record.key, value: facts.record.value, headers: headers ?? deadLetterHeaders(facts) },
      ],
    });
  }

  /** Disconnects the producer (after the consumers stopped: no dead letter is in flight any more). */
  async close(): Promise<void> {
    this.closed = true;
    const connecting = this.connecting;
    this.connecting = null;
    if (connecting) await (await connecting.catch(() => null))?.disconnect().catch(() => undefined);
  }

  private producer(): Promise<Producer> {
    if (this.closed) return Promise.reject(new Error('dead-letter publisher is closed'));
    if (!this.connecting) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        // Short: the consumer's own loop retries a failed dead letter (with heartbeats) until it is acked.
        retry: { retries: 2 },
      });
      this.connecting = producer.connect().then(() => producer);
      // A failed connect is forgotten, so the next dead letter tries again.
      this.connecting.catch(() => (this.connecting = null));
    }
    return this.connecting;
  }
}
