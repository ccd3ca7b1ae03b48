import type { PreparedRecord } from './prepare-records.util';

/** What the chooser needs to know of the lanes and the client. */
export interface ChooserContext {
  partitionForKey(key: Buffer | string, partitionCount: number): number;
  /** Bytes queued and not yet sent to a partition. */
  queuedBytes(topic: string, partition: number): number;
  /** The partition cannot take records now (a request failed and waits to be retried). */
  isBackedOff(topic: string, partition: number): boolean;
}

/**
 * Picks a record's partition once, when it enters the producer (its retries keep it):
 * - the caller's partition, if given;
 * - for a keyed record, the client's default partitioner (murmur2 of the key, as the Java client);
 * - for a record with neither, the topic's current "sticky" partition (KIP-480): keyless records of one request
 *   share one batch. The producer moves on when that partition's request goes out, when its queue reaches the
 *   sticky batch size (so concurrent senders spread over several partitions, whose requests go out at once, and
 *   one partition never gets a backlog larger than one request), and skips partitions that are
 *   backed off after a failure, so keyless records flow around a slow or unreachable leader.
 */
export class PartitionChooser {
  private readonly sticky = new Map<string, number>();
  /** The sticky partition whose request went out last: the next one starts after it (round robin). */
  private readonly previous = new Map<string, number>();

  constructor(
    private readonly context: ChooserContext,
    /** Bytes queued for the sticky partition at which keyless records move on. */
    private readonly maxBatchBytes: number,
  ) {}

  choose(topic: string, record: PreparedRecord, partitionCount: number): number {
    if (record.explicitPartition !== undefined) return record.explicitPartition;
    const key = record.record.key;
    if (key !== null) return this.context.partitionForKey(key, partitionCount);
    let current = this.sticky.get(topic);
    if (
      current === undefined ||
      current >= partitionCount ||
      this.context.queuedBytes(topic, current) + record.bytes > this.maxBatchBytes
    ) {
      current = this.pick(topic, partitionCount, current ?? this.previous.get(topic));
      this.sticky.set(topic, current);
    }
    return current;
  }

  /** A request for `partition` went out: the topic's next keyless records start a new batch elsewhere. */
  onRequestSent(topic: string, partition: number): void {
    if (this.sticky.get(topic) !== partition) return;
    this.sticky.delete(topic);
    this.previous.set(topic, partition);
  }

  /** The next partition after `from` that is not backed off and has room, else the least loaded one. */
  private pick(topic: string, count: number, from: number | undefined): number {
    const start = from === undefined ? Math.floor(Math.random() * count) : from + 1;
    let best = start % count;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const p = (start + i) % count;
      const load = this.context.queuedBytes(topic, p);
      if (!this.context.isBackedOff(topic, p) && load < this.maxBatchBytes) return p;
      if (load < bestLoad) {
        best = p;
        bestLoad = load;
      }
    }
    return best;
  }
}
