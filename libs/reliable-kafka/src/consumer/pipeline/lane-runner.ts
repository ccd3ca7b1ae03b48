import type { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { RUNTIME_MESSAGES, where } from '../../reliable-kafka.messages';
import type { AttemptCounter } from '../../retry/attempt-counter';
import { isNonRetryable } from '../../retry/retry-classifier.util';
import { backoffDelay, waitWithHeartbeat, type WaitControls } from './backoff.util';
import type { CallLimiter } from './call-limiter';
import type { ClaimAhead } from './claim-ahead';
import type { BatchScope } from './batch-scope';
import type { ChunkProcessor } from './chunk-processor';
import type { ChunkResult } from './chunk-settlement';
import { ClaimUnavailableError } from './claim-unavailable.error';
import type { DeadLetterStep } from './dead-letter-step';
import type { HandlerRuntime } from '../handler-runtime.interface';
import { mapRecords, type MessageMapping } from './message-mapper.util';
import { recordLogFields } from './record-log-fields.util';
import { describeError as describe, logEntry } from '../../logging';

/** What every lane of one handler shares (one per BatchRunner). */
export interface LaneDeps {
  handler: HandlerRuntime;
  processor: ChunkProcessor;
  deadLetters: DeadLetterStep | null;
  attempts: AttemptCounter;
  limiter: CallLimiter;
  mapping: MessageMapping;
  logger: Logger;
}

/**
 * Runs one lane (records that must stay in order: a partition's batch, one key's records, or one chunk) in
 * chunks of `maxBatchSize`, one handler call at a time, each call holding a slot of the handler's CallLimiter.
 * The slot is held only while the call (claims, handler, settlement) runs: during a backoff, a dedup-store wait
 * or a dead-letter publish it is free, so a failing key never holds up the other keys.
 *
 * Failures: the message a failure is attributed to (named by a `BatchFailedError`, the only one handed over, or
 * one that cannot be deserialized) counts an attempt; everything before it is completed. After
 * `retry.maxAttempts` (at once for a `nonRetryable` error) it is dead-lettered and the lane goes on after it.
 * A failure that names no message counts against the chunk's first one; when those attempts are used up the rest
 * of the chunk runs one message at a time, so the next failure names its message. With dead-lettering off the
 * error is thrown (the batch hands it back to kafkajs, which fetches again from the last committed offset).
 * A lane's next message never starts before the previous one completed, retries included.
 */
export class LaneRunner {
  constructor(private readonly deps: LaneDeps) {}

  /** Runs `lane` until every record completed or the batch must stop (then the rest stays unfinished). */
  async run(
    lane: readonly KafkaMessage[],
    scope: BatchScope,
    controls: WaitControls,
    /** Told (maybe more than once) when the lane no longer waits for its first slot: got it, backs off, ended. */
    pastQueue: () => void = () => undefined,
  ): Promise<void> {
    const { maxBatchSize } = this.deps.handler.options;
    const { topic, partition } = scope.payload.batch;
    let ahead: ClaimAhead | null = null;
    try {
      ahead = this.deps.processor.claimAhead(lane, topic, partition, this.deps.mapping);
      // runChunk checks shouldStop() first thing (and returns 0 then), so the loop does not ask it again.
      for (let start = 0; start < lane.length;) {
        const chunk =
          start === 0 && lane.length <= maxBatchSize ? lane : lane.slice(start, start + maxBatchSize);
        const consumed: number = await this.runChunk(chunk, scope, controls, ahead, pastQueue);
        if (consumed === 0) return; // stopping: the rest stays unfinished and is fetched again
        start += consumed;
      }
    } finally {
      pastQueue(); // always, even when the lane failed at once: the batch waits for it to start the next lane
      // Stopped, handed back or done: ids claimed ahead that no chunk took are given back at once.
      await ahead?.releaseAll();
    }
  }

  /** Runs one chunk until every record completed (returns how many), or the batch stops, or hands back. */
  private async runChunk(
    chunk: readonly KafkaMessage[],
    scope: BatchScope,
    controls: WaitControls,
    ahead: ClaimAhead | null,
    pastQueue: () => void,
  ): Promise<number> {
    const { handler, processor, attempts, limiter, mapping, logger, deadLetters } = this.deps;
    const { groupId, retry } = handler.options;
    const { topic, partition } = scope.payload.batch;
    let records = chunk;
    let consumed = 0;
    let storeWaits = 0;
    let isolate = false;
    while (records.length > 0) {
      if (scope.shouldStop()) return consumed;
      const slice = isolate ? records.slice(0, 1) : records;
      const { messages, error: decodeError } = mapRecords(topic, partition, slice, mapping);
      // A record that cannot be deserialized ends the slice: the records before it go first, then it fails.
      const usable = messages.length === slice.length ? slice : slice.slice(0, messages.length);
      let result: ChunkResult;
      if (usable.length === 0) result = { handled: 0, error: decodeError };
      else {
        const release = limiter.tryAcquire() ?? (await limiter.acquire(controls));
        pastQueue();
        if (!release) return consumed;
        try {
          // The slot may have come after the batch was told to stop: then no new call starts.
          if (scope.shouldStop()) return consumed;
          result = await processor.process(usable, messages, scope, ahead);
        } finally {
          release();
        }
      }
      consumed += result.handled;
      records = records.slice(result.handled);
      if (result.error === undefined) {
        for (const r of usable) attempts.clear(topic, partition, r.offset);
        continue;
      }
      {
        const error = result.error;
        pastQueue(); // about to back off, wait for the store or dead-letter: holding no slot
        const position = where(topic, partition, records[0]?.offset ?? slice[0].offset);
        if (error instanceof ClaimUnavailableError) {
          // The store is down or another consumer holds the ids: wait, never skip, never complete them.
          const delay = backoffDelay(retry, ++storeWaits);
          const text = RUNTIME_MESSAGES.dedupWaiting(groupId, position, describe(error), delay);
          logger.warn(
            logEntry(
              'dedup-waiting',
              text,
              recordLogFields(scope.ref, records[0] ?? slice[0], mapping),
              error,
            ),
          );
          if (await waitWithHeartbeat(delay, controls)) continue;
          return consumed;
        }
        // A failing lane may back off for long or stop: ids claimed ahead go back (later chunks claim afresh).
        await ahead?.releaseAll();
        // A failed commit stops the batch; the batch hands the commit error back to kafkajs.
        if (scope.committer.failed || records.length === 0) return consumed;
        const failed = records[0];
        const named = usable.length <= 1 || result.failedOffset === failed.offset;
        const attempt = attempts.fail(topic, partition, failed.offset);
        scope.telemetry.messagesFailed(scope.ref, 1);
        const max = retry.maxAttempts;
        const fields = recordLogFields(scope.ref, failed, mapping);
        const text = RUNTIME_MESSAGES.attemptFailed(groupId, position, attempt, max, describe(error));
        logger.error(logEntry('attempt-failed', text, fields, error));
        const exhausted = attempt >= max || isNonRetryable(error, retry.nonRetryable);
        if (scope.shouldStop()) return consumed;
        if (!exhausted) {
          scope.telemetry.messageRetried(scope.ref);
          if (await waitWithHeartbeat(backoffDelay(retry, attempt), controls)) continue;
          return consumed;
        }
        if (!deadLetters) {
          attempts.clear(topic, partition, failed.offset); // a redelivery gets its attempts afresh
          logger.warn(logEntry('handed-back', RUNTIME_MESSAGES.handingBack(groupId, position), fields));
          throw error;
        }
        if (!named) {
          // Nobody said which message failed: find it by handing them over one at a time.
          attempts.clear(topic, partition, failed.offset);
          logger.warn(logEntry('isolating', RUNTIME_MESSAGES.isolating(groupId, position), fields));
          isolate = true;
          continue;
        }
        if (!(await deadLetters.deadLetter(failed, error, attempt, scope))) return consumed;
        attempts.clear(topic, partition, failed.offset);
        consumed += 1;
        records = records.slice(1);
      }
    }
    return consumed;
  }
}
