import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { OffsetTracker } from './offset-tracker';

/**
 * Commits one kafkajs batch (one partition) as its messages complete, never past an unfinished one.
 * The commit is awaited; only after it succeeded is the fetch position moved (`resolveOffset`).
 */
export class PartitionCommitter {
  private readonly tracker = new OffsetTracker();
  private lastCommitted: string | null = null;
  /**
   * Set when a commit failed (usually a rebalance: the generation is gone). Retrying in place cannot help, and
   * the completed offsets must not be begun again: the batch goes back to kafkajs, which rejoins and fetches
   * from the last committed offset.
   */
  commitFailed = false;

  constructor(
    private readonly payload: EachBatchPayload,
    /** Told how long each commit took and whether the broker took it (commit latency metric). */
    private readonly onCommit: (seconds: number, ok: boolean) => void = () => undefined,
  ) {}

  begin(records: readonly KafkaMessage[]): void {
    for (const r of records) this.tracker.begin(r.offset);
  }

  complete(records: readonly KafkaMessage[]): void {
    for (const r of records) this.tracker.complete(r.offset);
  }

  /** Forgets `record` and everything begun after it: they will be begun again on the retry. */
  abandonFrom(record: KafkaMessage): void {
    this.tracker.abandonFrom(record.offset);
  }

  /** Commits up to the lowest contiguous completed offset + 1 (no-op when nothing new completed). */
  async commit(): Promise<void> {
    const next = this.tracker.committable();
    if (next === null || next === this.lastCommitted) return;
    const { batch } = this.payload;
    const lastCompleted = (BigInt(next) - 1n).toString();
    const lastRecord = batch.messages[batch.messages.length - 1];
    // A transactional producer leaves a control record after the last message; kafkajs filters it out, so
    // committing the batch's own last offset + 1 keeps the group from lagging by that marker forever.
    const offset =
      lastRecord && lastRecord.offset === lastCompleted ? (BigInt(batch.lastOffset()) + 1n).toString() : next;
    const started = performance.now();
    try {
      await this.payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
      });
    } catch (error) {
      this.commitFailed = true;
      this.onCommit((performance.now() - started) / 1000, false);
      throw error;
    }
    this.onCommit((performance.now() - started) / 1000, true);
    this.payload.resolveOffset(lastCompleted);
    this.lastCommitted = next;
  }
}
