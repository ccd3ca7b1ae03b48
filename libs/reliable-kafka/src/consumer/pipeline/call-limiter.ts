import type { WaitControls } from './backoff.util';

/** Gives a slot back; calling it more than once is harmless. */
export type ReleaseSlot = () => void;

interface Waiter {
  controls: WaitControls;
  resolve(release: ReleaseSlot | null): void;
}

/**
 * The `concurrency` bound of one handler: a FIFO semaphore shared by every `eachBatch` of the handler (every
 * partition, every lane), so handler calls in flight never exceed `concurrency`. It is also the backpressure
 * point: a lane that cannot get a slot waits, and its records stay in the batch kafkajs already fetched.
 *
 * While lanes wait, one timer (not one per waiter: a batch may have thousands of keys) heartbeats for each
 * waiting batch and drops the waiters of a batch that must stop, so a revoked batch does not sit in the queue
 * until another partition's call ends.
 */
export class CallLimiter {
  private free: number;
  /** FIFO from `head` on (a head index, not `shift()`: with thousands of waiting keys, shifting cost O(n)). */
  private waiters: Array<Waiter | undefined> = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly slots: number,
    private readonly tickMs = 100,
  ) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be >= 1, got ${slots}`);
    this.free = slots;
  }

  /** Calls holding a slot right now. */
  get inUse(): number {
    return this.slots - this.free;
  }

  /** Lanes waiting for a slot right now. */
  get queued(): number {
    return this.waiters.length - this.head;
  }

  /**
   * Waits for a slot, first come first served. Resolves null (holding nothing) when `controls.shouldStop()`
   * turns true while waiting. Pass the same `controls` object for every lane of a batch: it is heartbeated
   * once per tick however many of its lanes wait.
   */
  acquire(controls: WaitControls): Promise<ReleaseSlot | null> {
    const slot = this.tryAcquire();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve) => {
      this.waiters.push({ controls, resolve });
      if (!this.timer) {
        this.timer = setInterval(() => this.tick(), this.tickMs);
        this.timer.unref(); // waiting lanes belong to a running batch, which keeps the process alive anyway
      }
    });
  }

  /** A slot at once when one is free and nobody waits (no promise, no turn of the event loop), else null. */
  tryAcquire(): ReleaseSlot | null {
    if (this.free === 0 || this.queued > 0) return null;
    this.free--;
    return this.releaser();
  }

  private tick(): void {
    // Asked once per batch (controls), not per waiter: a batch may have thousands of keys waiting.
    const stopping = new Map<WaitControls, boolean>();
    const kept: Waiter[] = [];
    const dropped: Waiter[] = [];
    for (let i = this.head; i < this.waiters.length; i++) {
      const waiter = this.waiters[i] as Waiter;
      const { controls } = waiter;
      let stop = stopping.get(controls);
      if (stop === undefined) {
        stop = controls.shouldStop();
        stopping.set(controls, stop);
        if (!stop) controls.heartbeat().catch((error: unknown) => controls.onHeartbeatError?.(error));
      }
      (stop ? dropped : kept).push(waiter);
    }
    this.waiters = kept;
    this.head = 0;
    for (const waiter of dropped) waiter.resolve(null);
    this.stopTimerIfIdle();
  }

  private next(): Waiter | undefined {
    if (this.head === this.waiters.length) return undefined;
    const waiter = this.waiters[this.head];
    this.waiters[this.head++] = undefined;
    if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    return waiter;
  }

  private stopTimerIfIdle(): void {
    if (this.queued > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.next();
      // Hand the slot straight to the next waiter: `free` stays as it is, so nobody can jump the queue.
      if (next) next.resolve(this.releaser());
      else this.free++;
      // The timer is left to stop at its next tick: with lanes started one after another the queue empties and
      // refills at every call, and a timer created and cleared per call was a visible share of a short call.
    };
  }
}
