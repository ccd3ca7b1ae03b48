import type { IHeaders, Kafka } from 'kafkajs';
import { KafkajsProduceClient } from '../client/kafkajs/kafkajs-produce-client';
import type { ProduceClient } from '../client/produce-client.interface';
import { DeliveryEngine } from '../producer/delivery-engine';
import { prepareRawRecord } from '../producer/prepare-records.util';
import type { ProducerSettings } from '../producer/producer-settings.util';
import { deliverySettings } from '../producer/producer-settings.util';
import { SendTracker } from '../producer/send-tracker';
import { deadLetterHeaders, type DeadLetterFacts } from './dead-letter-headers.util';

/**
 * Publishes one dead letter (or a record forwarded to a retry stage) and resolves only once the broker
 * acknowledged it. Key and value are the original record's; `headers`, when given, replace the dead-letter
 * headers built from `facts` (a retry stage's headers).
 */
export interface DeadLetterSink {
  /**
   * @param onAttemptFailed told of each failed attempt while the publish goes on retrying (for logs); the
   *   promise rejects only when the record was refused for good or not acknowledged within the delivery timeout
   */
  publish(
    topic: string,
    facts: DeadLetterFacts,
    headers?: IHeaders,
    onAttemptFailed?: (cause: unknown, retryInMs: number) => void,
  ): Promise<void>;
}

/**
 * The module's dead-letter (and retry-stage) publisher: the producer's own delivery engine (acks -1, idempotent,
 * one request per partition at a time, never a sequence number reused), with its own client, connected on the
 * first dead letter. Not `ReliableProducerService.send()`, because that one stamps a message-id header and
 * encodes values, and a dead letter must carry the original key, value and headers byte for byte. The DLT may be
 * missing: its metadata request asks for auto-creation (where the cluster allows it); otherwise the publish fails
 * with a DeliveryError and the caller retries.
 */
export class KafkaDeadLetterPublisher implements DeadLetterSink {
  private connecting: Promise<DeliveryEngine> | null = null;
  private closed = false;
  private readonly client: ProduceClient;

  constructor(
    kafka: Kafka,
    private readonly settings: ProducerSettings,
  ) {
    this.client = new KafkajsProduceClient(kafka, {
      idempotent: settings.idempotent,
      retryDelayMs: settings.initialRetryTimeMs,
    });
  }

  async publish(
    topic: string,
    facts: DeadLetterFacts,
    headers?: IHeaders,
    onAttemptFailed?: (cause: unknown, retryInMs: number) => void,
  ): Promise<void> {
    const engine = await this.engine();
    const record = prepareRawRecord(
      { key: facts.record.key, value: facts.record.value, headers: headers ?? deadLetterHeaders(facts) },
      this.settings.messageIdHeader,
    );
    await new Promise<unknown>((resolve, reject) =>
      engine.submit(
        new SendTracker(topic, [record], Date.now() + this.settings.deliveryTimeoutMs, {
          resolve,
          reject,
          attemptFailed: onAttemptFailed,
        }),
      ),
    );
  }

  /** Waits for publishes in flight, then disconnects (after the consumers stopped). */
  async close(): Promise<void> {
    this.closed = true;
    const connecting = this.connecting;
    this.connecting = null;
    const engine = await connecting?.catch(() => null);
    if (!engine) return;
    await engine.drain();
    await this.client.disconnect();
  }

  private engine(): Promise<DeliveryEngine> {
    if (this.closed) return Promise.reject(new Error('dead-letter publisher is closed'));
    if (!this.connecting) {
      this.connecting = this.client.connect().then(() => {
        const engine = new DeliveryEngine(this.client, deliverySettings(this.settings));
        engine.start();
        return engine;
      });
      // A failed connect is forgotten, so the next dead letter tries again.
      this.connecting.catch(() => (this.connecting = null));
    }
    return this.connecting;
  }
}
