import { CommittedOffset, FetchedTopicOffsets } from './group-types';

/** The committed offsets of one group, by topic and partition. */
export class GroupOffsets {
  private readonly byTopic = new Map<string, Map<number, CommittedOffset>>();

  get size(): number {
    let n = 0;
    for (const parts of this.byTopic.values()) n += parts.size;
    return n;
  }

  get(topic: string, partition: number): CommittedOffset | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  set(topic: string, partition: number, offset: CommittedOffset): void {
    let parts = this.byTopic.get(topic);
    if (!parts) {
      parts = new Map();
      this.byTopic.set(topic, parts);
    }
    parts.set(partition, offset);
  }

  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  partitions(topic: string): Array<[number, CommittedOffset]> {
    return [...(this.byTopic.get(topic)?.entries() ?? [])].sort((a, b) => a[0] - b[0]);
  }

  /** OffsetFetch: the given partitions (-1 and '' where nothing is committed), or every committed one (null). */
  fetch(
    topics: ReadonlyArray<{ topic: string; partitions: readonly number[] }> | null,
  ): FetchedTopicOffsets[] {
    if (topics === null) {
      return this.topics().map((topic) => ({
        topic,
        partitions: this.partitions(topic).map(([partition, o]) => ({
          partition,
          offset: o.offset,
          metadata: o.metadata,
        })),
      }));
    }
    return topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((partition) => {
        const o = this.get(topic, partition);
        return { partition, offset: o?.offset ?? -1, metadata: o?.metadata ?? '' };
      }),
    }));
  }

  /**
   * Drops expired offsets as Kafka's offset cleanup does for a group that may lose them (an empty group, or one
   * used only for offset storage): an offset with an explicit expiry (OffsetCommit v2-4 retention) goes at that
   * time, any other `retentionMs` after `baseTimestamp(offset)` (when the group became empty, or the commit time).
   */
  expire(now: number, retentionMs: number, baseTimestamp: (o: CommittedOffset) => number): void {
    for (const [topic, parts] of this.byTopic) {
      for (const [partition, o] of parts) {
        const expired =
          o.expireTimestamp !== null ? now >= o.expireTimestamp : now - baseTimestamp(o) >= retentionMs;
        if (expired) parts.delete(partition);
      }
      if (parts.size === 0) this.byTopic.delete(topic);
    }
  }

  /** Forgets offsets of a deleted topic. */
  deleteTopic(topic: string): void {
    this.byTopic.delete(topic);
  }
}
