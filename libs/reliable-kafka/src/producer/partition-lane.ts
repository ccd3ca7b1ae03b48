import type { PreparedRecord } from './prepare-records.util';
import type { SendTracker } from './send-tracker';

/** One record on its way: which send it belongs to and where it stands. */
export interface QueuedRecord {
  readonly tracker: SendTracker;
  /** Position in its send. */
  readonly index: number;
  readonly prepared: PreparedRecord;
  /** Set once a partition was chosen. */
  partition: number;
  /** The batch that carries it once it has been cut from the queue. */
  batch: Batch | undefined;
  /** The last failed attempt's error, for the send's DeliveryError. */
  lastCause?: unknown;
  /** Its explicit partition was beyond the topic's count once, and the count was fetched again. */
  partitionRechecked?: boolean;
}

/**
 * Records sent together in one request. Once attempted, a batch never changes: after an attempt whose outcome is
 * unknown the broker may hold these records under these sequence numbers, so only the very same records may be
 * sent with them again (see ProduceClient).
 */
export interface Batch {
  readonly records: readonly QueuedRecord[];
  bytes: number;
  attempts: number;
  /** An attempt's outcome was unknown: the records may be in the log. */
  maybeWritten: boolean;
  /** When every sender of its records had been answered while it may still be written (resent to learn). */
  abandonedAt?: number;
}

/** A batch of `records` carrying on from `attempts`; each record points at it. */
export function newBatch(records: QueuedRecord[], attempts: number): Batch {
  const batch: Batch = { records, bytes: 0, attempts, maybeWritten: false };
  for (const r of records) {
    batch.bytes += r.prepared.bytes;
    r.batch = batch;
  }
  return batch;
}

/** What may be cut into one request. */
export interface BatchLimits {
  readonly maxBytes: number;
  readonly maxRecords: number;
}

/**
 * The records of one partition, in send order: batches cut and waiting (a retry, halves of a refused batch) go
 * first, then the queue. At most one batch is in flight, so a partition's records reach the broker in order and
 * one set of sequence numbers is in use at a time.
 */
export class PartitionLane {
  /** Cut batches to send before the queue, in order. */
  readonly ready: Batch[] = [];
  private queue: QueuedRecord[] = [];
  private head = 0;
  queuedBytes = 0;
  /** When the first record of the current queue arrived (linger). */
  firstQueuedAt = 0;
  inFlight: Batch | undefined;
  /** No attempt before this time (backoff after a failure). */
  retryAt = 0;
  /** The next batch goes without lingering: its records came while the previous request was in flight. */
  lingerDone = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  get queuedRecords(): number {
    return this.queue.length - this.head;
  }

  get idle(): boolean {
    return this.inFlight === undefined && this.ready.length === 0 && this.queuedRecords === 0;
  }

  enqueue(record: QueuedRecord, now: number): void {
    if (this.queuedRecords === 0) this.firstQueuedAt = now;
    record.partition = this.partition;
    this.queue.push(record);
    this.queuedBytes += record.prepared.bytes;
  }

  /** The next batch to send: a waiting cut batch, else records cut from the queue (settled ones skipped). */
  next(limits: BatchLimits): Batch | undefined {
    if (this.ready.length > 0) return this.ready.shift();
    this.lingerDone = false;
    const records: QueuedRecord[] = [];
    let bytes = 0;
    while (this.head < this.queue.length && records.length < limits.maxRecords) {
      const record = this.queue[this.head];
      if (record.tracker.outcomeOf(record.index) !== undefined) {
        this.dropHead(record);
        continue;
      }
      if (records.length > 0 && bytes + record.prepared.bytes > limits.maxBytes) break;
      this.dropHead(record);
      records.push(record);
      bytes += record.prepared.bytes;
    }
    this.compact();
    return records.length === 0 ? undefined : newBatch(records, 0);
  }

  /** Drops settled records from the head of the queue (a send that failed elsewhere, or expired). */
  pruneSettled(): void {
    while (this.head < this.queue.length) {
      const record = this.queue[this.head];
      if (record.tracker.outcomeOf(record.index) === undefined) break;
      this.dropHead(record);
    }
    this.compact();
  }

  private dropHead(record: QueuedRecord): void {
    this.head++;
    this.queuedBytes -= record.prepared.bytes;
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
