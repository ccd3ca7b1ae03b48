/**
 * Failed attempts per message (`topic/partition/offset`) of one consumer group, kept in the process across
 * redeliveries: a message that failed, was handed back (a stop, a rebalance) and comes back to this process
 * continues its count instead of starting over. Bounded: the oldest entries go first when `limit` is reached
 * (a partition that moved to another consumer leaves its counts behind).
 */
export class AttemptCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly limit = 10_000) {}

  /** Records one more failed attempt and returns the total. */
  fail(topic: string, partition: number, offset: string): number {
    const key = keyOf(topic, partition, offset);
    const total = (this.counts.get(key) ?? 0) + 1;
    this.counts.delete(key); // re-insert: Map order is insertion order, so the newest stays last
    this.counts.set(key, total);
    while (this.counts.size > this.limit) this.counts.delete(this.counts.keys().next().value as string);
    return total;
  }

  /** Failed attempts so far (0 when none). */
  get(topic: string, partition: number, offset: string): number {
    return this.counts.get(keyOf(topic, partition, offset)) ?? 0;
  }

  /** Forgets a message: it succeeded or was dead-lettered. */
  clear(topic: string, partition: number, offset: string): void {
    // Called for every handled record; with nothing failing there is nothing to forget, nor a key to build.
    if (this.counts.size === 0) return;
    this.counts.delete(keyOf(topic, partition, offset));
  }
}

function keyOf(topic: string, partition: number, offset: string): string {
  return `${topic}/${partition}/${offset}`;
}
