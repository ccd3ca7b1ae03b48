import { performance } from 'node:perf_hooks';
import { peakRss, summarize } from '../support/stats.util';
import type { ContenderResult } from '../support/protocol.interface';
import { report } from './child-channel';

/**
 * Counts handled messages for scenarios 1 and 4. The first `backlog` messages measure throughput (clock from the
 * consumer's first fetch, so process start, Nest bootstrap and the group join are excluded); the `live` messages
 * after them, produced at a paced rate, measure end-to-end latency from the record's produce timestamp.
 */
export class ConsumeSink {
  private count = 0;
  private firstAt = 0;
  private drainSeconds = 0;
  private readonly latencies: Float64Array;
  private finish!: (result: ContenderResult) => void;
  /** Resolves with the result once every backlog and live message was handled. */
  readonly finished = new Promise<ContenderResult>((resolve) => (this.finish = resolve));

  constructor(
    private readonly backlog: number,
    private readonly live: number,
  ) {
    this.latencies = new Float64Array(live);
  }

  /** The consumer sent its first fetch: the clock starts. */
  start(): void {
    if (this.firstAt === 0) this.firstAt = performance.now();
  }

  get handled(): number {
    return this.count;
  }

  /** Call once per handled message with its record timestamp (ms since epoch, as kafkajs gives it). */
  record(timestamp: string): void {
    const n = ++this.count;
    if (n === 1) this.start();
    if (n > this.backlog && n <= this.backlog + this.live) {
      this.latencies[n - this.backlog - 1] = Date.now() - Number(timestamp);
    }
    if (n === this.backlog) {
      this.drainSeconds = (performance.now() - this.firstAt) / 1000;
      report({ type: 'drained', count: n, seconds: this.drainSeconds });
    }
    if (n === this.backlog + this.live) {
      this.finish({
        count: this.backlog,
        seconds: this.drainSeconds,
        latency: summarize(this.latencies),
        peakRssBytes: peakRss(),
      });
    }
  }
}
