import type { ProduceClient } from '../client/produce-client.interface';
import { InvalidMessageError } from '../errors/invalid-message.error';
import { ProducerBufferFullError } from '../errors/producer-buffer-full.error';
import { BufferLimiter, type BufferLimits } from './buffer-limiter';
import { DeadlineQueue } from './deadline-queue';
import { fullJitterDelay } from './full-jitter-backoff.util';
import { PartitionChooser } from './partition-chooser';
import { PartitionLane, type QueuedRecord } from './partition-lane';
import { RequestDispatcher, type DispatchSettings } from './request-dispatcher';
import type { RecordOutcome, SendTracker } from './send-tracker';
import { TopicPartitions } from './topic-partitions';

/** Settings of the whole delivery path. */
export interface DeliverySettings extends DispatchSettings {
  readonly buffer: BufferLimits;
  readonly metadataMaxAgeMs: number;
  /** Keyless records move on to another partition once this many bytes wait for one (Java's `batch.size`). */
  readonly stickyBatchBytes: number;
}

/** One send inside the engine: its tracker and its records. */
interface QueuedSend {
  readonly tracker: SendTracker;
  readonly records: QueuedRecord[];
  admitted: boolean;
  withdrawn: boolean;
}

/**
 * Takes each send from `submit()` to its partition lanes: room in the buffer (or a wait, then a refusal), the
 * topic's partition count from metadata (records wait, in order, while it is fetched), a partition per record
 * (PartitionChooser), then the lane, whose batches the RequestDispatcher sends. It settles every record exactly
 * once, frees its buffer room, stops a failed send's other records before they are sent, and ends every send at
 * its deadline: records never sent as not written, records of a request in flight (or that may be written) as
 * unknown.
 */
export class DeliveryEngine {
  private readonly limiter: BufferLimiter;
  private readonly dispatcher: RequestDispatcher;
  private readonly topics: TopicPartitions;
  private readonly chooser: PartitionChooser;
  private readonly deadlines = new DeadlineQueue<QueuedSend>(
    (send) => this.expire(send),
    (send) => send.tracker.settled,
  );
  private readonly lanes = new Map<string, PartitionLane[]>();
  private readonly intake = new Map<string, QueuedRecord[]>();
  private readonly metadataFailures = new Map<string, { attempts: number; cause: unknown }>();
  private readonly sends = new Map<SendTracker, QueuedSend>();
  private started = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly client: ProduceClient,
    private readonly settings: DeliverySettings,
  ) {
    this.limiter = new BufferLimiter(settings.buffer);
    this.topics = new TopicPartitions((topic) => client.partitionCount(topic), settings.metadataMaxAgeMs);
    this.chooser = new PartitionChooser(
      {
        partitionForKey: (key, count) => client.partitionForKey(key, count),
        queuedBytes: (topic, p) => this.lanes.get(topic)?.[p]?.queuedBytes ?? 0,
        isBackedOff: (topic, p) => (this.lanes.get(topic)?.[p]?.retryAt ?? 0) > Date.now(),
      },
      Math.min(settings.stickyBatchBytes, settings.batch.maxBytes),
    );
    this.dispatcher = new RequestDispatcher(client, settings, {
      settle: (record, outcome) => this.settle(record, outcome),
      requestSent: (lane) => this.chooser.onRequestSent(lane.topic, lane.partition),
      topicUnknown: (topic) => void this.topics.load(topic).catch(() => undefined),
      attemptFailed: (batch, cause, retryInMs) => {
        for (const tracker of new Set(batch.records.map((r) => r.tracker)))
          tracker.attemptFailed(cause, retryInMs);
      },
    });
  }

  /** Bytes of records accepted and not yet settled. */
  get bufferedBytes(): number {
    return this.limiter.bytesInUse;
  }

  /** The client is connected: records waiting for metadata move on. */
  start(): void {
    this.started = true;
    for (const topic of this.intake.keys()) this.loadTopic(topic);
  }

  submit(tracker: SendTracker): void {
    const send: QueuedSend = { tracker, records: [], admitted: false, withdrawn: false };
    tracker.records.forEach((prepared, index) =>
      send.records.push({ tracker, index, prepared, partition: -1, batch: undefined }),
    );
    this.sends.set(tracker, send);
    this.deadlines.add(send, tracker.deadline);
    const bytes = send.records.reduce((n, r) => n + r.prepared.bytes, 0);
    const refuse = (): void => {
      const cause = new ProducerBufferFullError(tracker.topic, bytes, this.settings.buffer.maxBlockMs);
      for (const r of send.records) this.settle(r, { status: 'not-written', cause });
    };
    if (!this.limiter.fits(bytes)) return refuse();
    this.limiter.acquire(tracker.topic, bytes, () => this.admit(send), refuse);
  }

  /** Sends what waits without lingering, and resolves once every send has settled. */
  async drain(): Promise<void> {
    this.dispatcher.flush();
    if (this.sends.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.close();
  }

  /** Ends every open send with `cause` (nothing was sent: the client never connected). */
  abort(cause: unknown): void {
    for (const send of this.sends.values())
      for (const r of send.records) this.settle(r, { status: this.pendingStatus(r), cause });
    this.close();
  }

  private close(): void {
    this.dispatcher.stop();
    this.deadlines.clear();
  }

  private admit(send: QueuedSend): void {
    send.admitted = true;
    for (const r of send.records) {
      if (r.tracker.outcomeOf(r.index) === undefined) this.place(r);
      else this.limiter.release(r.tracker.topic, r.prepared.bytes); // settled while it waited for room
    }
  }

  private place(r: QueuedRecord): void {
    const topic = r.tracker.topic;
    const count = this.started ? this.topics.count(topic) : undefined;
    const waiting = this.intake.get(topic);
    if (count === undefined || waiting) {
      if (waiting) waiting.push(r);
      else this.intake.set(topic, [r]);
      if (this.started && !waiting) this.loadTopic(topic);
      return;
    }
    const explicit = r.prepared.explicitPartition;
    if (explicit !== undefined && explicit >= count) return this.unknownPartition(r, explicit, count);
    const partition = this.chooser.choose(topic, r.prepared, count);
    const lane = this.lane(topic, partition);
    lane.enqueue(r, Date.now());
    this.dispatcher.wake(lane);
  }

  /** A partition beyond the cached count: refetch the count once (partitions may have been added), then refuse. */
  private unknownPartition(r: QueuedRecord, partition: number, count: number): void {
    if (!r.partitionRechecked) {
      r.partitionRechecked = true;
      this.intake.set(r.tracker.topic, [r]);
      this.loadTopic(r.tracker.topic);
      return;
    }
    const reason = `partition ${partition} does not exist (the topic has ${count}); choose 0..${count - 1}`;
    this.settle(r, {
      status: 'not-written',
      cause: new InvalidMessageError(r.tracker.topic, r.index, reason),
    });
  }

  private loadTopic(topic: string): void {
    this.topics.load(topic).then(
      () => {
        this.metadataFailures.delete(topic);
        const waiting = this.intake.get(topic) ?? [];
        this.intake.delete(topic);
        for (const r of waiting) if (r.tracker.outcomeOf(r.index) === undefined) this.place(r);
      },
      (cause: unknown) => {
        const attempts = (this.metadataFailures.get(topic)?.attempts ?? 0) + 1;
        this.metadataFailures.set(topic, { attempts, cause });
        for (const r of this.intake.get(topic) ?? []) r.lastCause = cause;
        const { initialRetryTimeMs, maxRetryTimeMs } = this.settings;
        const retry = setTimeout(
          () => {
            if (this.intake.has(topic)) this.loadTopic(topic);
          },
          fullJitterDelay(attempts, initialRetryTimeMs, maxRetryTimeMs),
        );
        retry.unref();
      },
    );
  }

  private lane(topic: string, partition: number): PartitionLane {
    let lanes = this.lanes.get(topic);
    if (!lanes) this.lanes.set(topic, (lanes = []));
    return (lanes[partition] ??= new PartitionLane(topic, partition));
  }

  private expire(send: QueuedSend): void {
    for (const r of send.records) {
      if (r.tracker.outcomeOf(r.index) !== undefined) continue;
      const status = this.pendingStatus(r);
      const what =
        status === 'unknown'
          ? 'not acknowledged in time, with a request in flight or unanswered'
          : 'not sent in time';
      const cause = new Error(`delivery timeout: ${what} (${r.tracker.topic})`, { cause: r.lastCause });
      this.settle(r, { status, ...(r.partition >= 0 && { partition: r.partition }), cause });
    }
  }

  /** What is known of a record nobody will wait for any more. */
  private pendingStatus(r: QueuedRecord): 'unknown' | 'not-written' {
    const batch = r.batch;
    if (!batch) return 'not-written';
    const inFlight = this.lanes.get(r.tracker.topic)?.[r.partition]?.inFlight === batch;
    return batch.maybeWritten || inFlight ? 'unknown' : 'not-written';
  }

  private settle(r: QueuedRecord, outcome: RecordOutcome): void {
    const send = this.sends.get(r.tracker);
    if (!send || !r.tracker.settle(r.index, outcome)) return;
    if (send.admitted) this.limiter.release(r.tracker.topic, r.prepared.bytes);
    if (outcome.status !== 'written') this.withdraw(send, r);
    if (!r.tracker.settled) return;
    this.sends.delete(r.tracker);
    if (this.sends.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** A record of `send` failed: its other records that were not sent yet never will be. */
  private withdraw(send: QueuedSend, failed: QueuedRecord): void {
    if (send.withdrawn) return;
    send.withdrawn = true;
    const cause = new Error(`not sent: message ${failed.index} of the same send failed`);
    for (const r of send.records) {
      if (r.tracker.outcomeOf(r.index) === undefined && this.pendingStatus(r) === 'not-written')
        this.settle(r, { status: 'not-written', ...(r.partition >= 0 && { partition: r.partition }), cause });
    }
  }
}
