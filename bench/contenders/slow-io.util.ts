import { performance } from 'node:perf_hooks';
import { peakRss } from '../support/stats.util';
import type { ContenderResult } from '../support/protocol.interface';

/** Scenario 2's simulated I/O: the message value is `{"ms":n,...}`, the handler awaits n ms. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function workOf(value: Buffer | null): number {
  return value ? (JSON.parse(value.toString()) as { ms: number }).ms : 0;
}

/** Runs `work` over `items` with at most `width` in flight (a plain worker pool, no ordering). */
export async function pool<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** Counts handled messages of scenario 2; the clock starts at the consumer's first fetch. */
export class DrainClock {
  private count = 0;
  private firstAt = 0;
  private finish!: (result: ContenderResult) => void;
  readonly finished = new Promise<ContenderResult>((resolve) => (this.finish = resolve));

  constructor(private readonly total: number) {}

  get handled(): number {
    return this.count;
  }

  started(): void {
    if (this.firstAt === 0) this.firstAt = performance.now();
  }

  done(): void {
    if (++this.count === this.total) {
      this.finish({
        count: this.total,
        seconds: (performance.now() - this.firstAt) / 1000,
        peakRssBytes: peakRss(),
      });
    }
  }
}
