import type { Logger } from '@nestjs/common';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { DedupStore } from '../dedup/dedup-store.interface';
import { RUNTIME_MESSAGES, where } from '../reliable-kafka.messages';
import { AttemptCounter } from '../retry/attempt-counter';
import type { DeadLetterSink } from '../retry/dead-letter-publisher';
import { isNonRetryable } from '../retry/retry-classifier.util';
import { backoffDelay, waitWithHeartbeat } from './backoff.util';
import { ChunkProcessor, waitControls, type AttemptResult, type BatchScope } from './chunk-processor';
import { ClaimUnavailableError } from './claim-unavailable.error';
import { DeadLetterStep } from './dead-letter-step';
import type { HandlerRuntime } from './handler-runtime.interface';
import { mapRecords, type MessageMapping } from './message-mapper.util';
import { PartitionCommitter } from './partition-committer';
import { NOOP_TELEMETRY, type ReliableKafkaTelemetry } from '../observability';

/**
 * The kafkajs `eachBatch` of one handler (autoCommit and eachBatchAutoResolve off). Splits the batch into
 * chunks of `maxBatchSize` and runs each through the ChunkProcessor; stops at a message boundary when the consumer
 * stops, the partition goes stale or a heartbeat reports a rebalance.
 *
 * Failures: the message a failure is attributed to (named by a `BatchFailedError`, the only one handed over, or
 * one that cannot be deserialized) counts an attempt; everything before it is committed. After
 * `retry.maxAttempts` (at once for a `nonRetryable` error) it is dead-lettered and the chunk goes on after it.
 * A failure that names no message counts against the chunk's first one; when those attempts are used up the rest
 * of the chunk runs one message at a time, so the next failure names its message. With dead-lettering off the
 * error goes back to kafkajs, which fetches again from the last committed offset.
 */
export class BatchRunner {
  private readonly processor: ChunkProcessor;
  private readonly attempts = new AttemptCounter();
  private readonly deadLetters: DeadLetterStep | null;

  constructor(
    private readonly handler: HandlerRuntime,
    store: DedupStore | null,
    private readonly mapping: MessageMapping,
    private readonly logger: Logger,
    /** True once the application shuts down: no new chunk starts (a consumer kafkajs restarted late included). */
    private readonly isClosed: () => boolean = () => false,
    /** Where dead letters go; null (or `deadLetterTopic: false`) turns dead-lettering off. */
    sink: DeadLetterSink | null = null,
    /** Where processed, failed, retried, dead-lettered and commit events are reported (metrics, health). */
    private readonly telemetry: ReliableKafkaTelemetry = NOOP_TELEMETRY,
  ) {
    this.processor = new ChunkProcessor(handler, store, logger);
    this.deadLetters =
      sink && handler.options.deadLetterTopic !== false
        ? new DeadLetterStep(handler.options, sink, store, mapping, logger)
        : null;
  }

  readonly eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    let heartbeatFailed = false;
    const { topic, partition } = payload.batch;
    const ref = { groupId: this.handler.options.groupId, topic, partition };
    const telemetry = this.telemetry;
    telemetry.lagObserved(ref, Number(payload.batch.offsetLag()));
    const scope: BatchScope = {
      payload,
      ref,
      telemetry,
      committer: new PartitionCommitter(payload, (seconds, ok) => telemetry.commitObserved(ref, seconds, ok)),
      shouldStop: () => heartbeatFailed || this.isClosed() || !payload.isRunning() || payload.isStale(),
      onHeartbeatError: (error) => {
        heartbeatFailed = true;
        this.logger.warn(RUNTIME_MESSAGES.heartbeatFailed(this.handler.options.groupId, describe(error)));
      },
    };
    const all = payload.batch.messages;
    for (let start = 0; start < all.length && !scope.shouldStop();) {
      const consumed = await this.runChunk(
        all.slice(start, start + this.handler.options.maxBatchSize),
        scope,
      );
      if (consumed === 0) return; // stopping: the rest stays uncommitted and is fetched again
      start += consumed;
    }
  };

  /** Runs one chunk until every record is committed (returns how many), or the batch stops, or hands back. */
  private async runChunk(chunk: KafkaMessage[], scope: BatchScope): Promise<number> {
    const { groupId, retry } = this.handler.options;
    const { topic, partition } = scope.payload.batch;
    let records = chunk;
    let consumed = 0;
    let storeWaits = 0;
    let isolate = false;
    while (records.length > 0) {
      if (consumed > 0 && scope.shouldStop()) return consumed;
      const slice = isolate ? records.slice(0, 1) : records;
      const { messages, error: decodeError } = mapRecords(topic, partition, slice, this.mapping);
      // A record that cannot be deserialized ends the slice: the records before it go first, then it fails.
      const usable = slice.slice(0, messages.length);
      const result: AttemptResult = { committedRecords: 0, failedOffset: null };
      try {
        if (usable.length === 0) throw decodeError;
        await this.processor.process(usable, messages, scope, result);
        scope.telemetry.messagesProcessed(scope.ref, usable.length);
        for (const r of usable) this.attempts.clear(topic, partition, r.offset);
        consumed += usable.length;
        records = records.slice(usable.length);
        continue;
      } catch (error) {
        consumed += result.committedRecords;
        if (result.committedRecords > 0)
          scope.telemetry.messagesProcessed(scope.ref, result.committedRecords);
        records = records.slice(result.committedRecords);
        const position = where(topic, partition, records[0]?.offset ?? slice[0].offset);
        if (error instanceof ClaimUnavailableError) {
          // The store is down or another consumer holds the ids: wait, never skip, never commit past them.
          const delay = backoffDelay(retry, ++storeWaits);
          this.logger.warn(RUNTIME_MESSAGES.dedupWaiting(groupId, position, describe(error), delay));
          if (await this.wait(delay, scope)) continue;
          return consumed;
        }
        if (scope.committer.commitFailed) throw error; // kafkajs rejoins (on a rebalance error) and refetches
        if (records.length === 0) return consumed;
        const failed = records[0];
        const named = usable.length <= 1 || result.failedOffset === failed.offset;
        const attempt = this.attempts.fail(topic, partition, failed.offset);
        scope.telemetry.messagesFailed(scope.ref, 1);
        const max = retry.maxAttempts;
        this.logger.error(RUNTIME_MESSAGES.attemptFailed(groupId, position, attempt, max, describe(error)));
        const exhausted = attempt >= max || isNonRetryable(error, retry.nonRetryable);
        if (scope.shouldStop()) return consumed;
        if (!exhausted) {
          scope.telemetry.messageRetried(scope.ref);
          if (await this.wait(backoffDelay(retry, attempt), scope)) continue;
          return consumed;
        }
        if (!this.deadLetters) {
          this.attempts.clear(topic, partition, failed.offset); // a redelivery gets its attempts afresh
          this.logger.warn(RUNTIME_MESSAGES.handingBack(groupId, position));
          throw error;
        }
        if (!named) {
          // Nobody said which message failed: find it by handing them over one at a time.
          this.attempts.clear(topic, partition, failed.offset);
          this.logger.warn(RUNTIME_MESSAGES.isolating(groupId, position));
          isolate = true;
          continue;
        }
        if (!(await this.deadLetters.deadLetter(failed, error, attempt, scope))) return consumed;
        this.attempts.clear(topic, partition, failed.offset);
        consumed += 1;
        records = records.slice(1);
      }
    }
    return consumed;
  }

  private wait(ms: number, scope: BatchScope): Promise<boolean> {
    return waitWithHeartbeat(ms, waitControls(scope));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
