import type { ProduceAck, ProduceClient } from '../client/produce-client.interface';
import { ProduceAttemptError, type ProduceAttemptFacts } from '../client/produce-attempt.error';
import { fullJitterDelay } from './full-jitter-backoff.util';
import { nthOffset } from './nth-offset.util';
import {
  newBatch,
  type Batch,
  type BatchLimits,
  type PartitionLane,
  type QueuedRecord,
} from './partition-lane';
import { RecordTooLargeError } from '../errors/record-too-large.error';
import type { RecordOutcome } from './send-tracker';

/** Settings of the request side of the producer. */
export interface DispatchSettings {
  readonly acks: -1 | 0 | 1;
  readonly lingerMs: number;
  readonly initialRetryTimeMs: number;
  readonly maxRetryTimeMs: number;
  /** Broker-side wait for the in-sync replicas. */
  readonly ackTimeoutMs: number;
  /** How long a batch nobody waits for any more is still resent to learn its outcome before it is given up. */
  readonly abandonAfterMs: number;
  readonly batch: BatchLimits;
}

/** What the dispatcher reports back to the engine. */
export interface DispatchHooks {
  /** A record's outcome (the engine settles its send and frees its buffer room). */
  settle(record: QueuedRecord, outcome: RecordOutcome): void;
  /** The first attempt of a batch of `partition` went out (the partition chooser moves on). */
  requestSent(lane: PartitionLane): void;
  /** The broker does not know the topic: its metadata is refreshed. */
  topicUnknown(topic: string): void;
  /** An attempt failed and the batch is retried in `retryInMs`. */
  attemptFailed(batch: Batch, cause: unknown, retryInMs: number): void;
}

const UNKNOWN_TOPIC = 'UNKNOWN_TOPIC_OR_PARTITION';

/**
 * Sends the lanes' batches: at most one request in flight per partition; a partition's next request waits for its
 * linger time or a full batch, and for its backoff after a failure. After an answer:
 * - acknowledged: every record of the batch is written, at base offset + its index;
 * - retriable: the very same batch goes again after a backoff (after an unknown outcome its records may be in the
 *   log under its sequence numbers: only the same records may reuse them);
 * - too large: the batch is split in halves, a single record is refused (the broker appended nothing);
 * - sequence numbers refused, or a batch that may be written has to be given up: the client's idempotent session
 *   is renewed (new producer id) once nothing is in flight, so no sequence number is ever reused for other records.
 */
export class RequestDispatcher {
  private readonly active = new Set<PartitionLane>();
  private inFlight = 0;
  private renew: 'none' | 'wanted' | 'running' = 'none';
  private renewAttempts = 0;
  private renewRetryAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private flushing = false;
  private stopped = false;

  constructor(
    private readonly client: ProduceClient,
    private readonly settings: DispatchSettings,
    private readonly hooks: DispatchHooks,
  ) {}

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** The lane has new work. */
  wake(lane: PartitionLane): void {
    this.active.add(lane);
    this.schedule(this.flushing || this.settings.lingerMs <= 0 ? 0 : Date.now() + this.settings.lingerMs);
  }

  /** From now on no batch waits for its linger time (shutdown). */
  flush(): void {
    this.flushing = true;
    this.schedule(0);
  }

  /** No new request starts (requests in flight finish). */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private schedule(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    this.clearTimer();
    this.timerAt = at;
    const wait = at - Date.now();
    // setTimeout waits at least 1 ms: work due now runs on the next turn of the event loop instead
    if (wait > 0) this.timer = setTimeout(() => this.pump(), wait);
    else this.immediate = setImmediate(() => this.pump());
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private pump(): void {
    this.timerAt = Number.POSITIVE_INFINITY;
    this.timer = undefined;
    this.immediate = undefined;
    if (this.stopped) return;
    const now = Date.now();
    if (this.renew === 'wanted' && this.inFlight === 0) {
      if (now >= this.renewRetryAt) void this.renewSession();
      else this.schedule(this.renewRetryAt);
    }
    if (this.renew !== 'none') return;
    let next = Number.POSITIVE_INFINITY;
    for (const lane of this.active) {
      lane.pruneSettled();
      if (lane.idle) {
        this.active.delete(lane);
        continue;
      }
      if (lane.inFlight) continue;
      const at = this.readyAt(lane);
      if (at > now) {
        next = Math.min(next, at);
        continue;
      }
      this.start(lane, now);
      // a renewal waits for the requests in flight; nothing else starts before it
      if (this.renew !== 'none') return this.schedule(0);
    }
    if (next < Number.POSITIVE_INFINITY) this.schedule(next);
  }

  private readyAt(lane: PartitionLane): number {
    if (lane.ready.length > 0) return lane.retryAt;
    const { maxBytes, maxRecords } = this.settings.batch;
    const full = lane.queuedBytes >= maxBytes || lane.queuedRecords >= maxRecords;
    // Records that came while the lane's request was in flight (or as its answer came) waited a round trip already.
    const lingerEnd =
      this.flushing || full || lane.lingerDone ? 0 : lane.firstQueuedAt + this.settings.lingerMs;
    return Math.max(lane.retryAt, lingerEnd);
  }

  private start(lane: PartitionLane, now: number): void {
    const batch = this.takeBatch(lane, now);
    if (!batch) return;
    lane.inFlight = batch;
    batch.attempts++;
    this.inFlight++;
    for (const r of batch.records) r.tracker.noteAttempt(batch.attempts);
    if (batch.attempts === 1) this.hooks.requestSent(lane);
    this.client
      .produce({
        topic: lane.topic,
        partition: lane.partition,
        records: batch.records.map((r) => r.prepared.record),
        acks: this.settings.acks,
        ackTimeoutMs: this.settings.ackTimeoutMs,
      })
      .then(
        (ack) => this.onAck(lane, batch, ack),
        (error: unknown) => this.onFailure(lane, batch, error),
      );
  }

  /**
   * The lane's next batch. A batch that may be written is sent as it is, even when nobody waits for its records
   * any more (until `abandonAfterMs`); any other batch loses its settled records (expired, or their send failed
   * elsewhere), which were reported as not written and so must not be written now.
   */
  private takeBatch(lane: PartitionLane, now: number): Batch | undefined {
    for (let batch = lane.next(this.settings.batch); batch; batch = lane.next(this.settings.batch)) {
      const live = batch.records.filter((r) => r.tracker.outcomeOf(r.index) === undefined);
      if (batch.maybeWritten) {
        if (live.length > 0) return batch;
        batch.abandonedAt ??= now;
        if (now - batch.abandonedAt <= this.settings.abandonAfterMs) return batch;
        // Given up with its outcome unknown: no request may reuse its sequence numbers, so nothing starts
        // before the session is renewed.
        this.wantRenew();
        return undefined;
      }
      if (live.length === batch.records.length) return batch;
      if (live.length > 0) return newBatch(live, batch.attempts);
    }
    return undefined;
  }

  private onAck(lane: PartitionLane, batch: Batch, ack: ProduceAck): void {
    this.finishAttempt(lane);
    lane.retryAt = 0;
    lane.lingerDone = true;
    batch.records.forEach((r, i) =>
      this.hooks.settle(r, {
        status: 'written',
        partition: lane.partition,
        offset: nthOffset(ack.baseOffset, i),
      }),
    );
    this.schedule(0);
  }

  private onFailure(lane: PartitionLane, batch: Batch, error: unknown): void {
    this.finishAttempt(lane);
    const facts: ProduceAttemptFacts =
      error instanceof ProduceAttemptError
        ? error
        : { written: 'unknown', retriable: false, tooLarge: false, sequenceRejected: false };
    if (facts.tooLarge) {
      batch.maybeWritten = false; // refused for its size: these bytes were never appended
      this.split(lane, batch, error);
    } else {
      if (facts.written === 'unknown') batch.maybeWritten = true;
      if (facts.sequenceRejected) this.wantRenew();
      if (facts.retriable) this.retry(lane, batch, facts, error);
      else this.fail(batch, error);
    }
    this.schedule(0);
  }

  private finishAttempt(lane: PartitionLane): void {
    lane.inFlight = undefined;
    this.inFlight--;
  }

  private retry(lane: PartitionLane, batch: Batch, facts: ProduceAttemptFacts, error: unknown): void {
    for (const r of batch.records) r.lastCause = error;
    lane.ready.unshift(batch);
    const delay = fullJitterDelay(
      batch.attempts,
      this.settings.initialRetryTimeMs,
      this.settings.maxRetryTimeMs,
    );
    lane.retryAt = Date.now() + delay;
    if (facts.code === UNKNOWN_TOPIC) this.hooks.topicUnknown(lane.topic);
    this.hooks.attemptFailed(batch, error, delay);
  }

  /** A non-retriable answer: the batch's records fail (perhaps written, if an earlier attempt's outcome was unknown). */
  private fail(batch: Batch, cause: unknown): void {
    if (batch.maybeWritten) this.wantRenew();
    const status = batch.maybeWritten ? 'unknown' : 'not-written';
    for (const r of batch.records) this.hooks.settle(r, { status, partition: r.partition, cause });
  }

  private split(lane: PartitionLane, batch: Batch, cause: unknown): void {
    if (batch.records.length === 1) {
      const [r] = batch.records;
      this.hooks.settle(r, {
        status: 'not-written',
        partition: r.partition,
        cause: new RecordTooLargeError(lane.topic, lane.partition, r.prepared.bytes, cause),
      });
      return;
    }
    const half = Math.ceil(batch.records.length / 2);
    lane.ready.unshift(newBatch(batch.records.slice(0, half), 0), newBatch(batch.records.slice(half), 0));
  }

  private wantRenew(): void {
    if (this.renew === 'none') this.renew = 'wanted';
  }

  private async renewSession(): Promise<void> {
    this.renew = 'running';
    try {
      await this.client.renewIdempotence();
      this.renew = 'none';
      this.renewAttempts = 0;
    } catch {
      this.renew = 'wanted';
      this.renewAttempts++;
      const delay = fullJitterDelay(
        this.renewAttempts,
        this.settings.initialRetryTimeMs,
        this.settings.maxRetryTimeMs,
      );
      this.renewRetryAt = Date.now() + delay;
    }
    this.schedule(this.renew === 'none' ? 0 : this.renewRetryAt);
  }
}
