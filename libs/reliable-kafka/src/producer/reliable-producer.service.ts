import {
  Inject,
  Injectable,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import { KafkajsProduceClient } from '../client/kafkajs/kafkajs-produce-client';
import type { ProduceClient } from '../client/produce-client.interface';
import { nestLogCreator } from '../consumer/kafkajs-log-creator.util';
import type { DeliveryError } from '../errors/delivery.error';
import { ProducerClosedError } from '../errors/producer-closed.error';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import { NOOP_TELEMETRY, RELIABLE_KAFKA_TELEMETRY, type ReliableKafkaTelemetry } from '../observability';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS } from '../reliable-kafka.constants';
import { DeliveryEngine } from './delivery-engine';
import { MessageIdRegistry } from './message-id-registry';
import { prepareRecords } from './prepare-records.util';
import type { ProducerMessage, SentRecordMetadata } from './producer-message.interface';
import { deliverySettings } from './producer-settings.util';
import { SendTracker } from './send-tracker';

type State = 'created' | 'connecting' | 'ready' | 'closing' | 'closed';

/**
 * Sends messages and resolves only once the broker acknowledged every one of them (`acks: -1` by default).
 *
 * What a send's outcome means:
 * - resolved: every message is in the log at the offset in its metadata, with its id;
 * - rejected with DeliveryError: `outcome` says whether nothing was written (`not-written`, safe to resend), some
 *   messages were and the rest certainly not (`partially-written`), or some may be in the log (`unknown`);
 *   `error.resendable` holds the messages to send again with their ids, so consumer dedup recognises copies.
 *
 * The path of a send: `prepareRecords` (encoding, ids) -> SendTracker -> DeliveryEngine (buffer, metadata,
 * partition) -> PartitionLane -> RequestDispatcher (one request per partition at a time) -> the client port.
 */
@Injectable()
export class ReliableProducerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly client: ProduceClient;
  private readonly engine: DeliveryEngine;
  private readonly ids = new MessageIdRegistry();
  private state: State = 'created';

  constructor(
    @Inject(RESOLVED_RELIABLE_KAFKA_OPTIONS) private readonly options: ResolvedReliableKafkaOptions,
    @Optional()
    @Inject(RELIABLE_KAFKA_TELEMETRY)
    private readonly telemetry: ReliableKafkaTelemetry = NOOP_TELEMETRY,
  ) {
    const { producer } = options;
    this.client = new KafkajsProduceClient(new Kafka({ logCreator: nestLogCreator, ...options.client }), {
      idempotent: producer.idempotent,
      retryDelayMs: producer.initialRetryTimeMs,
    });
    this.engine = new DeliveryEngine(this.client, deliverySettings(producer));
  }

  /** True once connected and until shutdown begins (health: producer connected). */
  isConnected(): boolean {
    return this.state === 'ready';
  }

  /** Bytes of messages accepted and not yet acknowledged or failed. */
  get bufferedBytes(): number {
    return this.engine.bufferedBytes;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.state !== 'created') return;
    this.state = 'connecting';
    try {
      await this.client.connect();
    } catch (error) {
      this.engine.abort(error);
      throw error;
    }
    if (this.state !== 'connecting') return; // shut down while connecting
    this.state = 'ready';
    this.engine.start();
  }

  /**
   * Sends `messages` to `topic`; resolves with one metadata entry per message, in order, once the broker
   * acknowledged all of them. Messages with the same key (or partition) are written in call order.
   * @throws DeliveryError when not all were acknowledged within `deliveryTimeoutMs`, or the broker refused them
   * @throws InvalidMessageError when a message cannot be encoded (nothing sent)
   * @throws ProducerClosedError after application shutdown began
   */
  send(topic: string, messages: readonly ProducerMessage[]): Promise<SentRecordMetadata[]> {
    if (this.state === 'closing' || this.state === 'closed')
      return Promise.reject(new ProducerClosedError(topic));
    if (!Array.isArray(messages))
      return Promise.reject(new TypeError('send(topic, messages): messages must be an array'));
    if (messages.length === 0) return Promise.resolve([]);
    let records;
    try {
      records = prepareRecords(topic, messages, this.options.producer.messageIdHeader, this.ids);
    } catch (error) {
      return Promise.reject(error);
    }
    const started = performance.now();
    const deadline = Date.now() + this.options.producer.deliveryTimeoutMs;
    return new Promise((resolve, reject) => {
      const tracker = new SendTracker(topic, records, deadline, {
        resolve: (metadata) => {
          this.observeSend(topic, started, true);
          resolve(metadata);
        },
        reject: (error: DeliveryError) => {
          this.observeSend(topic, started, false);
          reject(error);
        },
      });
      this.engine.submit(tracker);
    });
  }

  /** Waits for every pending send to settle (within its delivery timeout), then disconnects. */
  async onApplicationShutdown(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    const connected = this.state === 'ready';
    this.state = 'closing';
    if (connected) await this.engine.drain();
    else this.engine.abort(new ProducerClosedError('*'));
    await this.client.disconnect();
    this.state = 'closed';
  }

  private observeSend(topic: string, started: number, ok: boolean): void {
    try {
      this.telemetry.producerSendObserved(topic, (performance.now() - started) / 1000, ok);
    } catch {
      // metrics must never fail a send
    }
  }
}
