import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Kafka, type Producer } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import { DeliveryError } from '../errors/delivery.error';
import { ProducerClosedError } from '../errors/producer-closed.error';
import type { ReliableKafkaModuleOptions } from '../interfaces/reliable-kafka-options.interface';
import { MODULE_OPTIONS_TOKEN } from '../module-definition';
import { deliverBatch, type PendingSend } from './batch-delivery';
import type { ProducerMessage, SentRecordMetadata } from './producer-message.interface';
import { resolveProducerSettings, type ProducerSettings } from './producer-settings.util';
import { SendCoalescer } from './send-coalescer';
import { prepareMessage } from './serialize-message.util';
import { StickyPartitioner } from './sticky-partitioner.util';
import { NOOP_TELEMETRY, RELIABLE_KAFKA_TELEMETRY, type ReliableKafkaTelemetry } from '../observability';

type State = 'created' | 'connecting' | 'ready' | 'closing' | 'closed';

/**
 * Coalesced requests in flight at once, each for other topics (Kafka's own default for idempotent producers is 5
 * per connection).
 *
 * Why one per topic is safe with kafkajs 2.2.4's idempotent producer: it numbers each partition's batches in
 * `eosManager` (`getSequence` / `updateSequence`), taking the number when a request is built and giving it back
 * when the request fails. Two requests for one partition at once could be numbered n and n+k while the first is
 * then refused and renumbered, and the broker would answer OUT_OF_ORDER_SEQUENCE_NUMBER (or take them out of
 * order). A partition belongs to one topic, and a topic has at most one of our requests in flight (a request's
 * own kafkajs retries and our retry loop included), so every partition has at most one: its numbers are only
 * ever touched by that request. kafkajs also serializes an idempotent producer's requests per broker (its broker
 * lock), so requests to the same broker still go one after the other; they overlap across brokers and with the
 * client-side work of building and settling batches.
 */
const MAX_IN_FLIGHT = 5;

/**
 * Sends messages and resolves only after the broker acknowledged them (`acks: -1` by default).
 *
 * - idempotent kafkajs producer by default; retries with full-jitter exponential backoff bounded by
 *   `deliveryTimeoutMs`, then rejects with `DeliveryError`;
 * - stamps a `message-id` header (UUID) on every message without one and returns it in the metadata;
 * - coalesces concurrent sends within `lingerMs` into one produce request; each caller gets its own metadata;
 * - up to `MAX_IN_FLIGHT` coalesced requests in flight, at most one per topic (see `SendCoalescer`), so messages
 *   of a topic keep the order of the send() calls, retries included;
 * - on application shutdown flushes pending sends, then disconnects; later sends reject with `ProducerClosedError`.
 *
 * A retry after a failure that was in fact written (a lost response, a partial failure) can write a message twice;
 * both copies carry the same message id, which the consumer's dedup guard suppresses.
 */
@Injectable()
export class ReliableProducerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReliableProducerService.name);
  private readonly settings: ProducerSettings;
  private readonly partitioner = new StickyPartitioner();
  private readonly coalescer: SendCoalescer<PendingSend>;
  private producer: Producer | undefined;
  private state: State = 'created';

  /** True once connected and until shutdown begins (health: producer connected). */
  isConnected(): boolean {
    return this.state === 'ready';
  }
  private readonly connected: Promise<Producer>;
  private onConnected: { resolve(p: Producer): void; reject(e: Error): void } | undefined;

  constructor(
    @Inject(MODULE_OPTIONS_TOKEN) private readonly options: ReliableKafkaModuleOptions,
    @Optional()
    @Inject(RELIABLE_KAFKA_TELEMETRY)
    private readonly telemetry: ReliableKafkaTelemetry = NOOP_TELEMETRY,
  ) {
    this.settings = resolveProducerSettings(options.producer, options.messageIdHeader);
    this.coalescer = new SendCoalescer(
      this.settings.lingerMs,
      (batch) => this.flush(batch),
      (pending) => pending.topic,
      MAX_IN_FLIGHT,
    );
    this.connected = new Promise((resolve, reject) => (this.onConnected = { resolve, reject }));
    this.connected.catch(() => undefined);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.state !== 'created') return;
    this.state = 'connecting';
    const { idempotent, initialRetryTimeMs, maxRetryTimeMs } = this.settings;
    const producer = new Kafka(this.options.client).producer({
      idempotent,
      // kafkajs keeps an idempotent producer's batches in order only with one request in flight per broker
      maxInFlightRequests: idempotent ? 1 : undefined,
      createPartitioner: this.partitioner.create,
      // kafkajs' own retries stay short (it warns about limiting them): our retry loop and deliveryTimeoutMs
      // are the bound. Its retries resend with the same sequence numbers, so they never duplicate.
      retry: { retries: 2, initialRetryTime: initialRetryTimeMs, maxRetryTime: maxRetryTimeMs },
    });
    try {
      await producer.connect();
    } catch (error) {
      this.onConnected?.reject(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    this.producer = producer;
    this.state = 'ready';
    this.onConnected?.resolve(producer);
  }

  /**
   * Sends `messages` to `topic`; resolves with one metadata entry per message, in order, once the broker acked.
   * @throws DeliveryError when not acknowledged within `deliveryTimeoutMs` (or on a non-retriable error)
   * @throws ProducerClosedError after application shutdown began
   */
  send(topic: string, messages: readonly ProducerMessage[]): Promise<SentRecordMetadata[]> {
    if (this.state === 'closing' || this.state === 'closed')
      return Promise.reject(new ProducerClosedError(topic));
    if (messages.length === 0) return Promise.resolve([]);
    let prepared;
    try {
      prepared = messages.map((m) => prepareMessage(m, this.settings.messageIdHeader));
    } catch (error) {
      return Promise.reject(error);
    }
    const started = performance.now();
    const deadline = Date.now() + this.settings.deliveryTimeoutMs;
    return new Promise((resolve, reject) => {
      this.coalescer.add({
        topic,
        messages: prepared,
        deadline,
        resolve: (metadata) => {
          this.observeSend(topic, started, true);
          resolve(metadata);
        },
        reject: (error) => {
          this.observeSend(topic, started, false);
          reject(error);
        },
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    const wasConnected = this.state === 'ready' || this.state === 'connecting';
    this.state = 'closing';
    if (!wasConnected) this.onConnected?.reject(new ProducerClosedError('*'));
    await this.coalescer.drain();
    try {
      await this.producer?.disconnect();
    } catch (error) {
      this.logger.warn(`producer disconnect failed: ${(error as Error).message}`);
    }
    this.state = 'closed';
  }

  private observeSend(topic: string, started: number, ok: boolean): void {
    try {
      this.telemetry.producerSendObserved(topic, (performance.now() - started) / 1000, ok);
    } catch {
      // metrics must never fail a send
    }
  }

  private async flush(batch: PendingSend[]): Promise<void> {
    const producer = await this.waitConnected(batch);
    if (!producer) return;
    await deliverBatch({ producer, partitioner: this.partitioner, settings: this.settings }, batch);
  }

  /** Sends issued before bootstrap wait for the connection, within their delivery timeout. */
  private async waitConnected(batch: PendingSend[]): Promise<Producer | undefined> {
    if (this.producer) return this.producer;
    const deadline = Math.min(...batch.map((p) => p.deadline));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deadline - Date.now());
    });
    let cause: unknown = new Error(
      'producer not connected within the delivery timeout (was the application initialised?)',
    );
    try {
      const producer = await Promise.race([this.connected, timedOut]);
      if (producer) return producer;
    } catch (error) {
      cause = error;
    } finally {
      clearTimeout(timer);
    }
    for (const p of batch) {
      const ids = p.messages.map((m) => m.messageId);
      p.reject(
        cause instanceof ProducerClosedError
          ? new ProducerClosedError(p.topic)
          : new DeliveryError(p.topic, cause, 0, ids),
      );
    }
    return undefined;
  }
}
