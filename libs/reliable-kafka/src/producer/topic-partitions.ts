interface Known {
  readonly count: number;
  readonly at: number;
}

/**
 * Partition counts of the topics the producer writes to, from cluster metadata: fetched on first use, refreshed in
 * the background once older than `maxAgeMs` (so added partitions are picked up) or when a request says the topic
 * is unknown. One fetch per topic at a time.
 */
export class TopicPartitions {
  private readonly known = new Map<string, Known>();
  private readonly loading = new Map<string, Promise<number>>();

  constructor(
    private readonly fetch: (topic: string) => Promise<number>,
    private readonly maxAgeMs: number,
  ) {}

  /** The cached count (possibly stale: a refresh is then started), or undefined before the first fetch. */
  count(topic: string): number | undefined {
    const known = this.known.get(topic);
    if (known && Date.now() - known.at > this.maxAgeMs) void this.load(topic).catch(() => undefined);
    return known?.count;
  }

  /** Fetches the count now (joins a fetch already running). */
  load(topic: string): Promise<number> {
    let loading = this.loading.get(topic);
    if (!loading) {
      loading = this.fetch(topic).then(
        (count) => {
          this.loading.delete(topic);
          this.known.set(topic, { count, at: Date.now() });
          return count;
        },
        (error: unknown) => {
          this.loading.delete(topic);
          throw error;
        },
      );
      this.loading.set(topic, loading);
    }
    return loading;
  }
}
