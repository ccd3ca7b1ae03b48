import type { EntityManager } from 'typeorm';
import type { CallOutcome } from './pipeline/call-outcome';

const OUTCOME = Symbol('call-outcome');

/** Live consumer controls the context forwards to kafkajs. */
export interface KafkaContextControls {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

/**
 * Second argument of a reliable handler (and of `ExecutionContext.getArgs()`): where the batch came from,
 * plus `heartbeat()` for handlers that want to signal liveness themselves (a background heartbeat already runs).
 */
export class KafkaContext {
  /** @internal */
  [OUTCOME]?: CallOutcome;

  // A true private field: the handler must not reach kafkajs' commit functions through the context.
  readonly #controls: KafkaContextControls;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly groupId: string,
    controls: KafkaContextControls,
    /** Transaction of the dedup store (handlers with `dedup: { transactional: true }`), else undefined. */
    readonly txManager?: EntityManager,
    /**
     * Aborted when the call is given up (past `callTimeoutMs`, or at shutdown after `shutdownTimeoutMs`): pass it
     * to fetch, database drivers and timers, or check it, so work stops instead of landing after the retry.
     */
    readonly signal: AbortSignal = new AbortController().signal,
  ) {
    // Kept as given (no wrapper per call): the private field already keeps it out of the handler's reach.
    this.#controls = controls;
  }

  /** Sends a heartbeat to the group coordinator (throttled by kafkajs to the heartbeat interval). */
  heartbeat(): Promise<void> {
    return this.#controls.heartbeat();
  }

  /** False once the consumer is stopping: a long handler may finish early by failing (nothing is lost). */
  isRunning(): boolean {
    return this.#controls.isRunning();
  }

  /** True when the partition was revoked or sought: remaining work will be redelivered to the new owner. */
  isStale(): boolean {
    return this.#controls.isStale();
  }
}

/** @internal Attaches the outcome recorder of one call to its context (read by the commit step). */
export function attachCallOutcome(context: KafkaContext, outcome: CallOutcome): void {
  context[OUTCOME] = outcome;
}

/** @internal The outcome recorder of the call that `context` belongs to, if any. */
export function getCallOutcome(context: unknown): CallOutcome | undefined {
  return context instanceof KafkaContext ? context[OUTCOME] : undefined;
}
