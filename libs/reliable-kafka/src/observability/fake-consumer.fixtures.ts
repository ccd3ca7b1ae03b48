import { EventEmitter } from 'events';
import type { Consumer } from 'kafkajs';

/** The event names kafkajs' `consumer.events` holds (only those the trackers listen to). */
const EVENTS = {
  CONNECT: 'consumer.connect',
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
  STOP: 'consumer.stop',
  DISCONNECT: 'consumer.disconnect',
  CRASH: 'consumer.crash',
} as const;

/** A stand-in kafkajs consumer whose instrumentation events a spec emits by hand. */
export class FakeConsumer {
  private readonly emitter = new EventEmitter();
  readonly events = EVENTS;

  /** This fake, typed as the kafkajs consumer the trackers take (they use `events` and `on` only). */
  get asConsumer(): Consumer {
    return this as unknown as Consumer;
  }

  on(event: string, listener: (e: { payload: unknown }) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  emit(event: keyof typeof EVENTS, payload: unknown = {}): void {
    this.emitter.emit(EVENTS[event], { id: 0, type: EVENTS[event], timestamp: Date.now(), payload });
  }

  join(assignment: Record<string, number[]>): void {
    this.emit('GROUP_JOIN', { groupId: 'g', memberId: 'm', memberAssignment: assignment });
  }
}
