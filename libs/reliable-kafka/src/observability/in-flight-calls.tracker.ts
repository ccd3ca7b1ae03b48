import type { PartitionRef } from './telemetry.interface';

/** A handler call that has started and not yet ended. */
export interface OpenCall {
  readonly ref: PartitionRef;
  readonly handler: string;
  /** Messages handed to the call. */
  readonly size: number;
  /** `Date.now()` when it started. */
  readonly startedAt: number;
}

/** An open call past its handler's `maxProcessingTimeMs`, as the health indicator reports it. */
export interface StuckCall {
  readonly handler: string;
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly size: number;
  readonly runningForMs: number;
  readonly maxProcessingTimeMs: number;
}

/**
 * The calls open past their limit at `now`. `limitOf` gives a handler's `maxProcessingTimeMs` (undefined: the
 * handler is unknown, so none of its calls can be judged). A call exactly at its limit is not stuck yet.
 */
export function findStuckCalls(
  open: Iterable<OpenCall>,
  now: number,
  limitOf: (handler: string) => number | undefined,
): StuckCall[] {
  const stuck: StuckCall[] = [];
  for (const call of open) {
    const limit = limitOf(call.handler);
    const runningForMs = now - call.startedAt;
    if (limit === undefined || runningForMs <= limit) continue;
    const { groupId, topic, partition } = call.ref;
    stuck.push({
      handler: call.handler,
      groupId,
      topic,
      partition,
      size: call.size,
      runningForMs,
      maxProcessingTimeMs: limit,
    });
  }
  return stuck.sort((a, b) => b.runningForMs - a.runningForMs);
}

/** Remembers the handler calls in flight (fed by `handlerCallStarted`), for stuck-call detection. */
export class InFlightCallTracker {
  private readonly calls = new Set<OpenCall>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Records a call start; the returned function ends it (calling it again is harmless). */
  start(ref: PartitionRef, handler: string, size: number): () => void {
    const call: OpenCall = { ref, handler, size, startedAt: this.clock() };
    this.calls.add(call);
    return () => void this.calls.delete(call);
  }

  /** Whether a call on `ref`'s partition is open right now. */
  running(ref: PartitionRef): boolean {
    for (const call of this.calls)
      if (
        call.ref.partition === ref.partition &&
        call.ref.topic === ref.topic &&
        call.ref.groupId === ref.groupId
      )
        return true;
    return false;
  }

  /** The calls open right now, oldest first. */
  open(): OpenCall[] {
    return [...this.calls];
  }

  /** The open calls past their handler's limit (see `findStuckCalls`). */
  stuck(limitOf: (handler: string) => number | undefined): StuckCall[] {
    return findStuckCalls(this.calls, this.clock(), limitOf);
  }
}
