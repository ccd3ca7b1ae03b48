import type { Logger } from '@nestjs/common';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { DedupStore } from '../dedup/dedup-store.interface';
import { RUNTIME_MESSAGES, where } from '../reliable-kafka.messages';
import { backoffDelay, waitWithHeartbeat } from './backoff.util';
import { ChunkProcessor, type BatchScope } from './chunk-processor';
import { ClaimUnavailableError } from './claim-unavailable.error';
import type { HandlerRuntime } from './handler-runtime.interface';
import { mapRecords, type MessageMapping } from './message-mapper.util';
import { PartitionCommitter } from './partition-committer';

/**
 * The kafkajs `eachBatch` of one handler (autoCommit and eachBatchAutoResolve off). Splits the batch into
 * chunks of `maxBatchSize`, runs each through the ChunkProcessor with a bounded retry, and stops at a chunk
 * boundary when the consumer stops, the partition goes stale or a heartbeat reports a rebalance.
 * A chunk that keeps failing is thrown to kafkajs, which fetches again from the last committed offset.
 */
export class BatchRunner {
  private readonly processor: ChunkProcessor;

  constructor(
    private readonly handler: HandlerRuntime,
    store: DedupStore | null,
    private readonly mapping: MessageMapping,
    private readonly logger: Logger,
    /** True once the application shuts down: no new chunk starts (a consumer kafkajs restarted late included). */
    private readonly isClosed: () => boolean = () => false,
  ) {
    this.processor = new ChunkProcessor(handler, store, logger);
  }

  readonly eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    let heartbeatFailed = false;
    const scope: BatchScope = {
      payload,
      committer: new PartitionCommitter(payload),
      shouldStop: () => heartbeatFailed || this.isClosed() || !payload.isRunning() || payload.isStale(),
      onHeartbeatError: (error) => {
        heartbeatFailed = true;
        this.logger.warn(RUNTIME_MESSAGES.heartbeatFailed(this.handler.options.groupId, describe(error)));
      },
    };
    const all = payload.batch.messages;
    for (let start = 0; start < all.length && !scope.shouldStop();) {
      start += await this.runChunk(all.slice(start, start + this.handler.options.maxBatchSize), scope);
    }
  };

  /** Runs one chunk to success (returns how many records it consumed) or throws after the last attempt. */
  private async runChunk(chunk: KafkaMessage[], scope: BatchScope): Promise<number> {
    const { groupId, retry } = this.handler.options;
    const { topic, partition } = scope.payload.batch;
    let records = chunk;
    let consumed = 0;
    let attempt = 0;
    let storeWaits = 0;
    for (;;) {
      const { messages, error: decodeError } = mapRecords(topic, partition, records, this.mapping);
      // A record that cannot be deserialized ends the chunk: the records before it go first, then it fails.
      const usable = records.slice(0, messages.length);
      const result = { committedRecords: 0 };
      const position = where(topic, partition, records[0].offset);
      try {
        if (usable.length === 0) throw decodeError;
        await this.processor.process(usable, messages, scope, result);
        return consumed + usable.length;
      } catch (error) {
        consumed += result.committedRecords;
        records = records.slice(result.committedRecords);
        if (error instanceof ClaimUnavailableError) {
          // The store is down or another consumer holds the ids: wait, never skip, never commit past them.
          const delay = backoffDelay(retry, ++storeWaits);
          this.logger.warn(RUNTIME_MESSAGES.dedupWaiting(groupId, position, describe(error), delay));
          if (await this.wait(delay, scope)) continue;
          return consumed; // stopping: the rest stays uncommitted and is fetched again
        }
        attempt++;
        this.logger.error(
          RUNTIME_MESSAGES.attemptFailed(groupId, position, attempt, retry.maxAttempts, describe(error)),
        );
        if (scope.committer.commitFailed) throw error; // kafkajs rejoins (on a rebalance error) and refetches
        if (records.length === 0 || scope.shouldStop()) return consumed;
        if (attempt < retry.maxAttempts) {
          if (await this.wait(backoffDelay(retry, attempt), scope)) continue;
          return consumed;
        }
        this.logger.warn(RUNTIME_MESSAGES.handingBack(groupId, where(topic, partition, records[0].offset)));
        throw error;
      }
    }
  }

  private wait(ms: number, scope: BatchScope): Promise<boolean> {
    return waitWithHeartbeat(ms, {
      heartbeat: () => scope.payload.heartbeat(),
      shouldStop: scope.shouldStop,
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
