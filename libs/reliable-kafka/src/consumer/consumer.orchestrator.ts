import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, type Consumer, type RetryOptions } from 'kafkajs';
import { DEDUP_STORE, isTransactionalDedupStore, type DedupStore } from '../dedup/dedup-store.interface';
import { InvalidConfigError } from '../errors/invalid-config.error';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS } from '../reliable-kafka.constants';
import { CONFIG_MESSAGES, RUNTIME_MESSAGES } from '../reliable-kafka.messages';
import { KafkaDeadLetterPublisher } from '../retry/dead-letter-publisher';
import { BatchRunner } from './batch-runner';
import { nestLogCreator } from './kafkajs-log-creator.util';
import { ReliableKafkaExplorer } from './reliable-kafka.explorer';
import { StartupChecks } from '../startup/startup-checks.service';
import { RELIABLE_KAFKA_TELEMETRY, type ReliableKafkaTelemetry } from '../observability';

/**
 * Starts one kafkajs consumer (and group) per handler at bootstrap, and on shutdown stops fetching, lets
 * in-flight batches finish and commit, then disconnects and closes the dedup store.
 */
@Injectable()
export class ConsumerOrchestrator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReliableKafka');
  private readonly consumers: Consumer[] = [];
  /** One dead-letter producer for all handlers, connected on the first dead letter. */
  private deadLetters: KafkaDeadLetterPublisher | undefined;
  private closed = false;

  constructor(
    @Inject(ReliableKafkaExplorer) private readonly explorer: ReliableKafkaExplorer,
    @Inject(RESOLVED_RELIABLE_KAFKA_OPTIONS) private readonly options: ResolvedReliableKafkaOptions,
    @Inject(DEDUP_STORE) private readonly store: DedupStore,
    @Inject(StartupChecks) private readonly startupChecks: StartupChecks,
    @Inject(RELIABLE_KAFKA_TELEMETRY) private readonly telemetry: ReliableKafkaTelemetry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.explorer.getHandlers();
    // Topics are provisioned and checked before the first consumer connects (doctor mode 'fail' stops here).
    await this.startupChecks.run(handlers);
    if (handlers.length === 0) return;
    for (const { name, options } of handlers) {
      // Options said 'postgres'; this catches a store replaced by a custom provider that cannot join transactions.
      if (options.dedup === 'transactional' && !isTransactionalDedupStore(this.store)) {
        const { problem, fix } = CONFIG_MESSAGES.transactionalNeedsPostgres(this.options.dedup.store);
        throw new InvalidConfigError(`${name}: dedup.transactional`, problem, fix);
      }
    }
    const kafka = new Kafka({ logCreator: nestLogCreator, ...this.options.client });
    this.deadLetters = new KafkaDeadLetterPublisher(kafka);
    for (const handler of handlers) {
      const { groupId, topics, fromBeginning, sessionTimeout, heartbeatInterval, concurrency } =
        handler.options;
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout,
        heartbeatInterval,
        retry: this.retryOptions(),
      });
      this.consumers.push(consumer);
      this.telemetry.consumerCreated(handler.name, groupId, consumer);
      // A restart kafkajs began before shutdown may still join the group afterwards: leave again at once.
      consumer.on(consumer.events.GROUP_JOIN, () => {
        if (this.closed) void consumer.disconnect();
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        // kafkajs schedules a restart right after this event; during shutdown it would reconnect a closed app.
        if (this.closed) setImmediate(() => void consumer.disconnect());
        else if (!payload.restart) {
          this.logger.error(RUNTIME_MESSAGES.consumerStopped(handler.name, groupId, payload.error.message));
        }
      });
      const store = handler.options.dedup === 'off' ? null : this.store;
      const runner = new BatchRunner(
        handler,
        store,
        this.options,
        this.logger,
        () => this.closed,
        this.deadLetters,
        this.telemetry,
      );
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: concurrency,
        eachBatch: runner.eachBatch,
      });
      this.logger.log(RUNTIME_MESSAGES.handlerStarted(handler.name, groupId, topics.map(String).join(', ')));
    }
  }

  /** The client's retry settings, plus: never restart a crashed consumer once shutdown began. */
  private retryOptions(): RetryOptions {
    const given = this.options.client.retry ?? {};
    const userRestart = given.restartOnFailure;
    return {
      ...given,
      restartOnFailure: async (error) => !this.closed && (userRestart ? userRestart(error) : true),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.consumers.length) this.logger.log(RUNTIME_MESSAGES.shuttingDown(this.consumers.length));
    // kafkajs' disconnect stops fetching, waits for the running eachBatch (which commits what it finished),
    // leaves the group, then closes the connections.
    await Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect()));
    await this.deadLetters?.close();
    await this.store.close().catch(() => undefined);
  }
}
