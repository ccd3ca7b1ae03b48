/** Limits of the producer's buffer: bytes of records accepted and not yet settled. */
export interface BufferLimits {
  readonly maxBytes: number;
  readonly maxBytesPerTopic: number;
  /** How long a send may wait for room before it is refused. */
  readonly maxBlockMs: number;
}

interface Waiter {
  readonly topic: string;
  readonly bytes: number;
  readonly admit: () => void;
  readonly refuse: () => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Bounds the memory of waiting sends, in total and per topic (the Java client's `buffer.memory` and
 * `max.block.ms`): a send takes room for its bytes before it is queued and gives it back as its records settle. A
 * send that finds no room waits, first in, first out, so a later small send never overtakes an earlier large one
 * (that would break per-key order); after `maxBlockMs` it is refused.
 */
export class BufferLimiter {
  private used = 0;
  private readonly usedByTopic = new Map<string, number>();
  private readonly waiters: Waiter[] = [];

  constructor(private readonly limits: BufferLimits) {}

  get bytesInUse(): number {
    return this.used;
  }

  /** Whether a send of `bytes` can ever fit (a larger one is refused at once). */
  fits(bytes: number): boolean {
    return bytes <= this.limits.maxBytes && bytes <= this.limits.maxBytesPerTopic;
  }

  /**
   * Takes room for `bytes` of `topic`: `admit` runs (synchronously when there is room and nobody waits), or
   * `refuse` after `maxBlockMs`. Exactly one of them runs.
   */
  acquire(topic: string, bytes: number, admit: () => void, refuse: () => void): void {
    if (this.waiters.length === 0 && this.hasRoom(topic, bytes)) {
      this.take(topic, bytes);
      admit();
      return;
    }
    const waiter: Waiter = { topic, bytes, admit, refuse, timer: undefined };
    waiter.timer = setTimeout(() => {
      const i = this.waiters.indexOf(waiter);
      if (i < 0) return;
      this.waiters.splice(i, 1);
      refuse();
      this.admitWaiting(); // a large waiter leaving can make room for the ones behind it
    }, this.limits.maxBlockMs);
    this.waiters.push(waiter);
  }

  release(topic: string, bytes: number): void {
    this.used -= bytes;
    const left = (this.usedByTopic.get(topic) ?? 0) - bytes;
    if (left > 0) this.usedByTopic.set(topic, left);
    else this.usedByTopic.delete(topic);
    this.admitWaiting();
  }

  private admitWaiting(): void {
    while (this.waiters.length > 0 && this.hasRoom(this.waiters[0].topic, this.waiters[0].bytes)) {
      const waiter = this.waiters.shift() as Waiter;
      clearTimeout(waiter.timer);
      this.take(waiter.topic, waiter.bytes);
      waiter.admit();
    }
  }

  private hasRoom(topic: string, bytes: number): boolean {
    return (
      this.used + bytes <= this.limits.maxBytes &&
      (this.usedByTopic.get(topic) ?? 0) + bytes <= this.limits.maxBytesPerTopic
    );
  }

  private take(topic: string, bytes: number): void {
    this.used += bytes;
    this.usedByTopic.set(topic, (this.usedByTopic.get(topic) ?? 0) + bytes);
  }
}
