import type { Batch, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { retryDueAt, retryOwnerGroup } from './retry-headers.util';

type EachBatch = (payload: EachBatchPayload) => Promise<void>;

/**
 * The `eachBatch` of a retry-stage consumer, in front of the handler's batch runner. Hands the runner only
 * records that are due, in runs; at the first record that is not due yet it pauses that topic-partition (kafkajs
 * `pause()`) and resumes it when the record is due, leaving it unresolved so kafkajs fetches it again. Nothing
 * waits inside `eachBatch`: other partitions, and the main topic's consumer, keep going, and kafkajs keeps
 * heartbeating between batches. Every record of one stage has the same delay, so log order is due order.
 *
 * Stage topics are shared by every group that consumes the main topic with retry topics: records another group
 * forwarded (`x-original-consumer-group`) are not this group's to retry, and are committed past unhandled.
 */
export class RetryStageGate {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly groupId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Wraps the runner's `eachBatch`. */
  wrap(run: EachBatch): EachBatch {
    return (payload) => this.eachBatch(payload, run);
  }

  /** Cancels the pending resumes (the consumer is stopping). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async eachBatch(payload: EachBatchPayload, run: EachBatch): Promise<void> {
    const records = payload.batch.messages;
    let start = 0;
    while (start < records.length) {
      if (this.closed || !payload.isRunning() || payload.isStale()) return;
      const own = this.isOwn(records[start]);
      if (own && retryDueAt(records[start].headers) > this.now()) {
        this.pauseUntil(payload, retryDueAt(records[start].headers));
        return;
      }
      let end = start + 1;
      while (end < records.length && this.isOwn(records[end]) === own && (!own || this.isDue(records[end])))
        end++;
      const segment = records.slice(start, end);
      if (own) {
        if (!(await this.runSegment(payload, segment, run))) return;
      } else await commitPast(payload, segment[segment.length - 1], end === records.length);
      start = end;
    }
  }

  /** Runs `records` through the runner as a batch of their own; true when it finished all of them. */
  private async runSegment(
    payload: EachBatchPayload,
    records: KafkaMessage[],
    run: EachBatch,
  ): Promise<boolean> {
    const last = BigInt(records[records.length - 1].offset);
    let resolved = -1n;
    await run({
      ...payload,
      batch: segmentBatch(payload.batch, records),
      resolveOffset: (offset) => {
        payload.resolveOffset(offset);
        if (BigInt(offset) > resolved) resolved = BigInt(offset);
      },
    });
    return resolved >= last;
  }

  private pauseUntil(payload: EachBatchPayload, dueAt: number): void {
    const resume = payload.pause();
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        resume();
      },
      Math.max(0, dueAt - this.now()),
    );
    this.timers.add(timer);
  }

  private isOwn(record: KafkaMessage): boolean {
    const owner = retryOwnerGroup(record.headers);
    return owner === undefined || owner === this.groupId;
  }

  private isDue(record: KafkaMessage): boolean {
    return retryDueAt(record.headers) <= this.now();
  }
}

/** A view of `batch` holding only `records` (one run of it), so nothing commits past them. */
function segmentBatch(batch: Batch, records: KafkaMessage[]): Batch {
  return {
    topic: batch.topic,
    partition: batch.partition,
    highWatermark: batch.highWatermark,
    messages: records,
    isEmpty: () => records.length === 0,
    firstOffset: () => records[0]?.offset ?? null,
    lastOffset: () => records[records.length - 1].offset,
    offsetLag: () => batch.offsetLag(),
    offsetLagLow: () => batch.offsetLagLow(),
  };
}

/** Commits past records this group does not handle (everything before them is already committed). */
async function commitPast(payload: EachBatchPayload, last: KafkaMessage, endOfBatch: boolean): Promise<void> {
  const { batch } = payload;
  // At the batch's end, commit past a filtered transaction marker too, as the batch runner does.
  const offset = (BigInt(endOfBatch ? batch.lastOffset() : last.offset) + 1n).toString();
  await payload.commitOffsetsIfNecessary({
    topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
  });
  payload.resolveOffset(last.offset);
}
