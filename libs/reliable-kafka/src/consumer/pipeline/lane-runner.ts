import type { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { RUNTIME_MESSAGES, where } from '../../reliable-kafka.messages';
import type { AttemptCounter } from '../../retry/attempt-counter';
import { isNonRetryable } from '../../retry/retry-classifier.util';
import { backoffDelay, waitWithHeartbeat, type WaitControls } from './backoff.util';
import type { CallLimiter } from './call-limiter';
import type { ClaimAhead } from './claim-ahead';
import { MarkWindow } from './mark-window';
import type { BatchScope } from './batch-scope';
import type { ChunkProcessor } from './chunk-processor';
import type { ChunkResult } from './chunk-settlement';
import { ClaimUnavailableError } from './claim-unavailable.error';
import type { FailureForwarder } from './failure-forwarder';
import type { HandlerRuntime } from '../handler-runtime.interface';
import { mapRecords, type MessageMapping } from './message-mapper.util';
import { recordLogFields } from './record-log-fields.util';
import { describeError as describe, logEntry } from '../../logging';

/** What every lane of one handler shares (one per BatchRunner). */
export interface LaneDeps {
  handler: HandlerRuntime;
  processor: ChunkProcessor;
  deadLetters: FailureForwarder | null;
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
    const marks = new MarkWindow();
    try {
      ahead = this.deps.processor.claimAhead(lane, topic, partition, this.deps.mapping);
      // runChunk checks shouldStop() first thing (and returns 0 then), so the loop does not ask it again.
      for (let start = 0; start < lane.length;) {
        const chunk =
          start === 0 && lane.length <= maxBatchSize ? lane : lane.slice(start, start + maxBatchSize);
        const consumed: number = await this.runChunk(chunk, scope, controls, { ahead, marks }, pastQueue);
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
    claims: LaneClaims,
    pastQueue: () => void,
  ): Promise<number> {
    const { ahead } = claims;
    const { attempts } = this.deps;
    const { topic, partition } = scope.payload.batch;
    const state: ChunkState = { records: chunk, consumed: 0, storeWaits: 0, isolate: false };
    while (state.records.length > 0) {
      if (scope.shouldStop()) return state.consumed;
      const slice = state.isolate ? state.records.slice(0, 1) : state.records;
      const attempt = await this.attempt(slice, scope, controls, claims, pastQueue);
      if (attempt === STOPPED) return state.consumed;
      state.consumed += attempt.result.handled;
      state.records = state.records.slice(attempt.result.handled);
      // Records handled have no failed attempts any more (a redelivery of one starts afresh).
      for (const r of attempt.tried.slice(0, attempt.result.handled))
        attempts.clear(topic, partition, r.offset);
      if (attempt.result.error === undefined) continue;
      pastQueue(); // about to back off, wait for the store or forward a record: holding no slot
      const next = await this.afterFailure(attempt, state, scope, controls, ahead);
      if (next === 'stop') return state.consumed;
      if (next === 'forwarded') {
        state.consumed += 1;
        state.records = state.records.slice(1);
      }
    }
    return state.consumed;
  }

  /**
   * Maps `slice` to messages (a record that cannot be read ends it: the records before it go first) and runs one
   * attempt on them, holding a slot of the handler's limiter for the call.
   */
  private async attempt(
    slice: readonly KafkaMessage[],
    scope: BatchScope,
    controls: WaitControls,
    claims: LaneClaims,
    pastQueue: () => void,
  ): Promise<Attempt | typeof STOPPED> {
    const { processor, limiter, mapping } = this.deps;
    const { topic, partition } = scope.payload.batch;
    const { messages, error } = mapRecords(topic, partition, slice, mapping);
    const tried = messages.length === slice.length ? slice : slice.slice(0, messages.length);
    if (tried.length === 0) return { tried, result: { handled: 0, error } };
    // Waits (holding no slot) while the lane has a mark in flight already: see MarkWindow.
    if (!(await claims.marks.roomForCall())) return STOPPED;
    const release = limiter.tryAcquire() ?? (await limiter.acquire(controls));
    pastQueue();
    if (!release) return STOPPED;
    try {
      // The slot may have come after the batch was told to stop, or after a long freeze: then no new call starts.
      if (scope.shouldStop() || !(await scope.confirmMembership())) return STOPPED;
      const result = await processor.process(tried, messages, scope, claims.ahead);
      claims.marks.add(result.marking);
      return { tried, result };
    } finally {
      release();
    }
  }

  /**
   * The failure policy. The store could not claim: wait (never skip). Otherwise the failure counts an attempt of
   * the record it names (or of the first): back off and try again, or once its attempts are used up forward it
   * (retry stage or dead-letter topic), find the failing record first when the failure named none, or hand the
   * error back when dead-lettering is off.
   */
  private async afterFailure(
    attempt: Attempt,
    state: ChunkState,
    scope: BatchScope,
    controls: WaitControls,
    ahead: ClaimAhead | null,
  ): Promise<'again' | 'stop' | 'forwarded'> {
    const { handler, attempts, mapping, logger, deadLetters } = this.deps;
    const { groupId, retry } = handler.options;
    const { topic, partition } = scope.payload.batch;
    const { result, tried } = attempt;
    const error = result.error;
    const first = state.records[0] ?? tried[0];
    const position = where(topic, partition, first.offset);
    if (error instanceof ClaimUnavailableError) {
      const wait = error.reason === 'busy' ? 'dedup-claim-held' : 'dedup-store-unavailable';
      scope.telemetry.partitionWaiting(scope.ref, wait);
      const delay = backoffDelay(retry, ++state.storeWaits);
      const text = RUNTIME_MESSAGES.dedupWaiting(groupId, position, describe(error), delay);
      logger.warn(logEntry('dedup-waiting', text, recordLogFields(scope.ref, first, mapping), error));
      return (await waitWithHeartbeat(delay, controls)) ? 'again' : 'stop';
    }
    // A failing lane may back off for long or stop: ids claimed ahead go back (later chunks claim afresh).
    await ahead?.releaseAll();
    // A failed commit stops the batch; the batch hands the commit error back to kafkajs.
    if (scope.committer.failed || state.records.length === 0) return 'stop';
    const failed = state.records[0];
    const named = tried.length <= 1 || result.failedOffset === failed.offset;
    const count = attempts.fail(topic, partition, failed.offset);
    scope.telemetry.messagesFailed(scope.ref, 1);
    const fields = recordLogFields(scope.ref, failed, mapping);
    const text = RUNTIME_MESSAGES.attemptFailed(groupId, position, count, retry.maxAttempts, describe(error));
    logger.error(logEntry('attempt-failed', text, fields, error));
    const exhausted = count >= retry.maxAttempts || isNonRetryable(error, retry.nonRetryable);
    if (scope.shouldStop()) return 'stop';
    if (!exhausted) {
      scope.telemetry.messageRetried(scope.ref);
      return (await waitWithHeartbeat(backoffDelay(retry, count), controls)) ? 'again' : 'stop';
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
      state.isolate = true;
      return 'again';
    }
    if (!(await deadLetters.forward(failed, error, count, scope))) return 'stop';
    attempts.clear(topic, partition, failed.offset);
    return 'forwarded';
  }
}

/** A lane's claims made ahead and its marks in flight. */
interface LaneClaims {
  readonly ahead: ClaimAhead | null;
  readonly marks: MarkWindow;
}

/** The batch had to stop before the attempt could start. */
const STOPPED = Symbol('stopped');

/** One attempt: the records it tried (a prefix of the slice when a record could not be read) and its result. */
interface Attempt {
  readonly tried: readonly KafkaMessage[];
  readonly result: ChunkResult;
}

/** Where a chunk stands: the records still to run, how many completed, and how it is being retried. */
interface ChunkState {
  records: readonly KafkaMessage[];
  consumed: number;
  storeWaits: number;
  /** Run one record at a time, to find the one that fails. */
  isolate: boolean;
}
