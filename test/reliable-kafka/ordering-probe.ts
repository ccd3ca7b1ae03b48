import type { ReliableMessage } from 'nestjs-reliable-kafka';

/** Value of the keyed test messages: the key again, and the message's position within its key. */
export interface KeyedValue {
  key: string;
  seq: number;
}

/** One handler call as the probe saw it. `started` / `ended` are ticks of the probe's logical clock. */
export interface CallRecord {
  app: string;
  partition: number;
  keys: string[];
  offsets: number[];
  seqs: number[];
  started: number;
  ended?: number;
  ok?: boolean;
}

/** A message the handler finished with (succeeded, or failed for the last time), at a logical tick. */
export interface Settled {
  app: string;
  partition: number;
  offset: number;
  key: string;
  seq: number;
  tick: number;
  ok: boolean;
}

/**
 * Watches handler calls from inside the handler: calls and records in flight (overall and per partition), the
 * most ever seen, every call, and every message the handler settled. A logical clock (not wall time) orders
 * events, so "started after X ended" is exact in a single-threaded process.
 */
export class CallProbe {
  inFlight = 0;
  maxInFlight = 0;
  recordsInFlight = 0;
  maxRecordsInFlight = 0;
  readonly maxInFlightByPartition = new Map<number, number>();
  readonly calls: CallRecord[] = [];
  readonly settled: Settled[] = [];
  private readonly inFlightByPartition = new Map<number, number>();
  private clock = 0;

  now(): number {
    return ++this.clock;
  }

  /** Runs `body` as one tracked call of `messages`. */
  async track<T>(
    app: string,
    partition: number,
    messages: ReliableMessage<KeyedValue>[],
    body: (call: CallRecord) => Promise<T>,
  ): Promise<T> {
    const call: CallRecord = {
      app,
      partition,
      keys: [...new Set(messages.map((m) => m.value.key))],
      offsets: messages.map((m) => Number(m.offset)),
      seqs: messages.map((m) => m.value.seq),
      started: this.now(),
    };
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.recordsInFlight += messages.length;
    this.maxRecordsInFlight = Math.max(this.maxRecordsInFlight, this.recordsInFlight);
    const onPartition = (this.inFlightByPartition.get(partition) ?? 0) + 1;
    this.inFlightByPartition.set(partition, onPartition);
    this.maxInFlightByPartition.set(
      partition,
      Math.max(onPartition, this.maxInFlightByPartition.get(partition) ?? 0),
    );
    try {
      const result = await body(call);
      call.ok = true;
      return result;
    } catch (error) {
      call.ok = false;
      throw error;
    } finally {
      call.ended = this.now();
      this.inFlight--;
      this.recordsInFlight -= messages.length;
      this.inFlightByPartition.set(partition, (this.inFlightByPartition.get(partition) ?? 1) - 1);
    }
  }

  /** Records that the handler is done with `m` (its effect happened, or `ok: false`: it failed for good). */
  settle(app: string, m: ReliableMessage<KeyedValue>, ok = true): void {
    const { key, seq } = m.value;
    this.settled.push({
      app,
      partition: m.partition,
      offset: Number(m.offset),
      key,
      seq,
      tick: this.now(),
      ok,
    });
  }

  /** Offsets below `end` of `partition` that were not settled (yet). */
  settledBelow(partition: number, end: number): number[] {
    const done = new Set(this.settled.filter((s) => s.partition === partition).map((s) => s.offset));
    return Array.from({ length: Math.max(0, end) }, (_, i) => i).filter((o) => !done.has(o));
  }

  /** Successful effects per key, in the order they happened (with `firstOnly`, a message's first effect only). */
  seqsByKey(firstOnly = false): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const s of this.settled.filter((x) => x.ok)) {
      const id = `${s.partition}/${s.offset}`;
      if (firstOnly && seen.has(id)) continue;
      seen.add(id);
      out.set(s.key, [...(out.get(s.key) ?? []), s.seq]);
    }
    return out;
  }

  /** "partition/offset" of messages with more than one successful effect. */
  duplicates(): string[] {
    const counts = new Map<string, number>();
    for (const s of this.settled.filter((x) => x.ok)) {
      const id = `${s.partition}/${s.offset}`;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /** Calls on `partition`, in the order they started. */
  callsOn(partition: number): CallRecord[] {
    return this.calls.filter((c) => c.partition === partition).sort((a, b) => a.started - b.started);
  }

  /** Pairs of calls of different apps on `partition` that ran at the same time. */
  overlapsAcrossApps(partition: number): string[] {
    const calls = this.callsOn(partition);
    const out: string[] = [];
    for (const [i, a] of calls.entries()) {
      for (const b of calls.slice(i + 1)) {
        if (a.app !== b.app && b.started < (a.ended ?? Infinity)) {
          out.push(`${a.app}@${a.offsets.join(',')} / ${b.app}@${b.offsets.join(',')}`);
        }
      }
    }
    return out;
  }

  /**
   * Pairs of calls of one key (same app) that overlapped, or where a later message of the key started before an
   * earlier one's call ended: each is a per-key order breach.
   */
  keyOverlaps(): string[] {
    const breaches: string[] = [];
    const ordered = [...this.calls].sort((a, b) => a.started - b.started);
    for (const [i, a] of ordered.entries()) {
      for (const b of ordered.slice(i + 1)) {
        if (a.app !== b.app || !a.keys.some((k) => b.keys.includes(k))) continue;
        if (a.ended === undefined || b.started < a.ended) {
          breaches.push(
            `${a.app} ${a.keys.join(',')} offsets ${a.offsets.join(',')} / ${b.offsets.join(',')}`,
          );
        }
      }
    }
    return breaches;
  }
}
