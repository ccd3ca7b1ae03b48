/**
 * Collects items (pending sends) for `lingerMs`, then hands them to `flush` as one batch, like Kafka's own record
 * accumulator: batches grow under load because items arriving while a batch is in flight form the next one.
 *
 * Several batches may be in flight (up to `maxInFlight`), but never two for the same lane (`laneOf`, the topic):
 * a lane's next batch starts only once its previous batch settled, retries included, and a batch takes every
 * waiting item of the lanes that are free, in call order. So items of one lane reach `flush` in the order of
 * `add`, and one lane never has two batches on the wire at once.
 * `flush` must settle every item itself and never reject.
 */
export class SendCoalescer<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly busyLanes = new Set<string>();
  private readonly flights = new Set<Promise<void>>();

  constructor(
    private readonly lingerMs: number,
    private readonly flush: (batch: T[]) => Promise<void>,
    private readonly laneOf: (item: T) => string = () => '',
    private readonly maxInFlight = 1,
  ) {}

  /** Number of items waiting for the next batch. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Number of batches in flight. */
  get inFlight(): number {
    return this.flights.size;
  }

  add(item: T): void {
    this.queue.push(item);
    if (this.timer || !this.canStart(item)) return; // a settling batch starts the next one
    if (this.lingerMs <= 0) this.start();
    else this.timer = setTimeout(() => this.start(), this.lingerMs);
  }

  /** Sends what is queued now (no more lingering) and resolves when every batch has settled. */
  async drain(): Promise<void> {
    while (this.flights.size > 0 || this.queue.length > 0) {
      this.start();
      await Promise.all(this.flights);
    }
  }

  private canStart(item: T): boolean {
    return this.flights.size < this.maxInFlight && !this.busyLanes.has(this.laneOf(item));
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flights.size >= this.maxInFlight) return;
    const batch: T[] = [];
    const rest: T[] = [];
    for (const item of this.queue) (this.busyLanes.has(this.laneOf(item)) ? rest : batch).push(item);
    if (batch.length === 0) return;
    this.queue = rest;
    const lanes = new Set(batch.map(this.laneOf));
    for (const lane of lanes) this.busyLanes.add(lane);
    const flight: Promise<void> = this.flush(batch)
      .catch(() => undefined) // flush settles its items; this only keeps the chain alive
      .finally(() => {
        this.flights.delete(flight);
        for (const lane of lanes) this.busyLanes.delete(lane);
        if (this.queue.length > 0) this.start(); // they already waited at least one round trip
      });
    this.flights.add(flight);
  }
}
