import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { logEntry } from '../logging';
import { Kafka, type Consumer, type RetryOptions } from 'kafkajs';
import { DEDUP_STORE, isTransactionalDedupStore, type DedupStore } from '../dedup/dedup-store.interface';
import { InvalidConfigError } from '../errors/invalid-config.error';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS } from '../reliable-kafka.constants';
import { CONFIG_MESSAGES, RUNTIME_MESSAGES } from '../reliable-kafka.messages';
import { KafkaDeadLetterPublisher } from '../retry/dead-letter-publisher';
import { retryStageGroupId, retryStageMaxWaitMs, retryStageTopics } from '../retry/retry-stage-consumer.util';
import { RetryStageGate } from '../retry/retry-stage-gate';
import { BatchRunner, MemberGate, RunningCalls } from './pipeline';
import type { HandlerRuntime } from './handler-runtime.interface';
import { nestLogCreator } from './kafkajs-log-creator.util';
import { ReliableKafkaExplorer } from './reliable-kafka.explorer';
import { StartupChecks } from '../startup/startup-checks.service';
import { RELIABLE_KAFKA_TELEMETRY, type ReliableKafkaTelemetry } from '../observability';

/**
 * Starts one kafkajs consumer (and group) per handler at bootstrap, plus one for its retry stages when it has
 * retry topics, and on shutdown stops fetching, lets in-flight batches finish and commit, then disconnects and
 * closes the dedup store.
 */
@Injectable()
export class ConsumerOrchestrator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReliableKafka');
  private readonly consumers: Consumer[] = [];
  /** One dead-letter producer for all handlers, connected on the first dead letter. */
  private deadLetters: KafkaDeadLetterPublisher | undefined;
  private closed = false;
  /** Every handler call in flight, which a shutdown that takes too long gives up. */
  private readonly running = new RunningCalls();
  /** Due-time gates of the retry-stage consumers; their pending resumes are cancelled on shutdown. */
  private readonly gates: RetryStageGate[] = [];

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
    this.deadLetters = new KafkaDeadLetterPublisher(kafka, this.options.producer);
    for (const handler of handlers) {
      const { groupId, topics, fromBeginning } = handler.options;
      const { consumer, gate } = this.createConsumer(kafka, handler, groupId);
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning });
      await this.run(consumer, handler, this.createRunner(handler, gate).eachBatch);
      this.logger.log(RUNTIME_MESSAGES.handlerStarted(handler.name, groupId, topics.map(String).join(', ')));
      if (handler.options.retryTopicDelaysMs.length > 0) await this.startRetryStages(kafka, handler);
    }
  }

  /**
   * Retry topics: a second consumer, in the derived group `<groupId>.retry`, consumes the stage topics through
   * the due-time gate (it pauses a stage partition until its next record is due), so waiting never blocks the
   * main topic's consumer. It runs the same handler with the same options (dedup ids included).
   */
  private async startRetryStages(kafka: Kafka, handler: HandlerRuntime): Promise<void> {
    const { groupId, retryTopicDelaysMs } = handler.options;
    const stageGroupId = retryStageGroupId(groupId);
    const topics = retryStageTopics(handler.options);
    const { consumer, gate } = this.createConsumer(
      kafka,
      handler,
      stageGroupId,
      retryStageMaxWaitMs(retryTopicDelaysMs),
    );
    const stages = new RetryStageGate(groupId);
    this.gates.push(stages);
    await consumer.connect();
    // From the beginning: a record forwarded before this group first joined must still be retried.
    await consumer.subscribe({ topics, fromBeginning: true });
    await this.run(consumer, handler, stages.wrap(this.createRunner(handler, gate).eachBatch));
    this.logger.log(RUNTIME_MESSAGES.handlerStarted(handler.name, stageGroupId, topics.join(', ')));
  }

  /** A kafkajs consumer for one group of `handler`, and the gate its batches share (see MemberGate). */
  private createConsumer(kafka: Kafka, handler: HandlerRuntime, groupId: string, maxWaitTimeInMs?: number) {
    const { sessionTimeout, heartbeatInterval, rebalanceTimeout } = handler.options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout,
      heartbeatInterval,
      rebalanceTimeout,
      ...(maxWaitTimeInMs === undefined ? {} : { maxWaitTimeInMs }),
      retry: this.retryOptions(),
    });
    this.consumers.push(consumer);
    this.telemetry.consumerCreated(handler.name, groupId, consumer);
    const gate = new MemberGate(Math.max(heartbeatInterval * 2, sessionTimeout / 2));
    consumer.on(consumer.events.HEARTBEAT, () => gate.confirmed());
    consumer.on(consumer.events.GROUP_JOIN, () => {
      gate.rejoined();
      // A restart kafkajs began before shutdown may still join the group afterwards: leave again at once.
      if (this.closed) void consumer.disconnect();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs schedules a restart right after this event; during shutdown it would reconnect a closed app.
      if (this.closed) setImmediate(() => void consumer.disconnect());
      else if (!payload.restart) {
        const text = RUNTIME_MESSAGES.consumerStopped(handler.name, groupId, payload.error.message);
        this.logger.error(
          logEntry('consumer-stopped', text, { groupId, handler: handler.name }, payload.error),
        );
      }
    });
    return { consumer, gate };
  }

  private createRunner(handler: HandlerRuntime, gate: MemberGate): BatchRunner {
    return new BatchRunner(handler, {
      store: handler.options.dedup === 'off' ? null : this.store,
      mapping: this.options,
      logger: this.logger,
      isClosed: () => this.closed,
      sink: this.deadLetters,
      telemetry: this.telemetry,
      gate,
      running: this.running,
    });
  }

  private run(consumer: Consumer, handler: HandlerRuntime, eachBatch: BatchRunner['eachBatch']) {
    return consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: handler.options.concurrency,
      eachBatch,
    });
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

  /**
   * Stops fetching and lets the calls in flight finish and commit, for up to `shutdownTimeoutMs`; then gives them
   * up (their `ctx.signal` aborts; nothing of them is committed), commits what finished, and leaves the groups.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const gate of this.gates) gate.close();
    if (this.consumers.length) this.logger.log(RUNTIME_MESSAGES.shuttingDown(this.consumers.length));
    const { shutdownTimeoutMs } = this.options;
    const giveUp = setTimeout(() => {
      this.logger.warn(RUNTIME_MESSAGES.abandoningCalls(shutdownTimeoutMs));
      this.running.abandonAll();
    }, shutdownTimeoutMs);
    // kafkajs' disconnect stops fetching, waits for the running eachBatch (which commits what it finished),
    // leaves the group, then closes the connections. Bounded: a disconnect that hangs (a broker gone) must not
    // keep the process alive.
    const disconnected = Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect()));
    await Promise.race([disconnected, delay(shutdownTimeoutMs + DISCONNECT_GRACE_MS)]);
    clearTimeout(giveUp);
    await this.deadLetters?.close();
    await this.store.close().catch(() => undefined);
  }
}

/** Time left after `shutdownTimeoutMs` for the last commits and the group leave. */
const DISCONNECT_GRACE_MS = 5_000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
