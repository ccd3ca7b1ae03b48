/**
 * Collects items (pending sends) for `lingerMs`, then hands them to `flush` as one batch.
 * At most one batch is in flight: items arriving meanwhile form the next batch, which starts as soon as the
 * current one settles. That keeps the order of send() calls on the wire (even across retries) and lets
 * batches grow under load, like Kafka's own record accumulator.
 * `flush` must settle every item itself and never reject.
 */
export class SendCoalescer<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly lingerMs: number,
    private readonly flush: (batch: T[]) => Promise<void>,
  ) {}

  /** Number of items waiting for the next batch. */
  get waiting(): number {
    return this.queue.length;
  }

  add(item: T): void {
    this.queue.push(item);
    if (this.inFlight || this.timer) return;
    if (this.lingerMs <= 0) this.start();
    else this.timer = setTimeout(() => this.start(), this.lingerMs);
  }

  /** Sends what is queued now (no more lingering) and resolves when every batch has settled. */
  async drain(): Promise<void> {
    while (this.inFlight || this.queue.length > 0) {
      if (!this.inFlight) this.start();
      await this.inFlight;
    }
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0);
    if (batch.length === 0) return;
    this.inFlight = this.flush(batch)
      .catch(() => undefined) // flush settles its items; this only keeps the chain alive
      .finally(() => {
        this.inFlight = undefined;
        if (this.queue.length > 0) this.start(); // they already waited at least one round trip
      });
  }
}
