import { committedOffset, type KafkaTools } from './consumer-test-harness';
import { sleep } from './ordering-consumer';
import type { CallProbe } from './ordering-probe';

/**
 * Polls a group's committed offsets while a test runs and checks DESIGN §2 on every reading: a committed offset
 * never passes a message the handler has not settled (succeeded, or failed for the last time and so
 * dead-lettered), and it never goes backwards (which a stale member committing after its partition moved would
 * cause). A commit is sent only after the handler settled, so an offset read back must already be covered.
 */
export class CommitWatcher {
  /** Every distinct committed offset seen, per partition, in order, with the probe's clock when it was seen. */
  readonly history = new Map<number, { offset: number; tick: number }[]>();
  readonly violations: string[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly tools: KafkaTools,
    private readonly groupId: string,
    private readonly topic: string,
    private readonly partitions: number[],
    private readonly probe: CallProbe,
    intervalMs = 50,
  ) {
    this.loop = this.poll(intervalMs);
  }

  /** The latest committed offset seen on `partition` (-1: none yet). */
  latest(partition = 0): number {
    return this.history.get(partition)?.at(-1)?.offset ?? -1;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async poll(intervalMs: number): Promise<void> {
    while (this.running) {
      for (const partition of this.partitions) {
        let offset: number;
        try {
          offset = Number(await committedOffset(this.tools, this.groupId, this.topic, partition));
        } catch {
          continue; // the coordinator may be busy (rebalance): try again next round
        }
        this.check(partition, offset);
      }
      await sleep(intervalMs);
    }
  }

  private check(partition: number, offset: number): void {
    const seen = this.history.get(partition) ?? [];
    const last = seen.at(-1)?.offset ?? -1;
    if (offset === last) return;
    if (offset < last)
      this.violations.push(`p${partition}: committed offset went back from ${last} to ${offset}`);
    const unsettled = this.probe.settledBelow(partition, offset);
    if (unsettled.length > 0) {
      this.violations.push(
        `p${partition}: committed ${offset} while offsets ${unsettled.slice(0, 10).join(',')} were not handled`,
      );
    }
    this.history.set(partition, [...seen, { offset, tick: this.probe.now() }]);
  }

  /**
   * Handler calls that were handed a message after a commit past it had been seen: committed work done again.
   * (A message that finished but lay beyond the committed prefix may legitimately run again after a rebalance.)
   */
  redoneAfterCommit(): string[] {
    const out: string[] = [];
    for (const call of this.probe.calls) {
      const seen = (this.history.get(call.partition) ?? []).filter((h) => h.tick < call.started);
      const committed = Math.max(-1, ...seen.map((h) => h.offset));
      const redone = call.offsets.filter((o) => o < committed);
      if (redone.length)
        out.push(`${call.app} p${call.partition}: ${redone.join(',')} below committed ${committed}`);
    }
    return out;
  }
}
