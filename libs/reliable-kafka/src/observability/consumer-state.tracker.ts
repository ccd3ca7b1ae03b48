import type { Consumer } from 'kafkajs';

/** One handler's kafkajs consumer as its events describe it. */
export interface ConsumerState {
  readonly handler: string;
  readonly groupId: string;
  /** Connected to the cluster (CONNECT seen, no DISCONNECT since). */
  readonly connected: boolean;
  /** Member of the group with an assignment (GROUP_JOIN seen, no STOP or DISCONNECT since). */
  readonly joined: boolean;
  /** A rebalance began (REBALANCING) and the consumer has not rejoined yet. */
  readonly rebalancing: boolean;
  /** How many times it joined its group so far (each rebalance it took part in counts one). */
  readonly joins: number;
  /** Partitions assigned at the last join, by topic (empty when the group has more members than partitions). */
  readonly assigned: Readonly<Record<string, number[]>>;
  /** The last crash; `restarting` false means kafkajs gave up and the consumer is dead. */
  readonly crash?: { readonly error: string; readonly restarting: boolean };
}

/** Whether a consumer counts as healthy: connected, in its group and not dead. */
export function isConsumerHealthy(state: ConsumerState): boolean {
  return state.connected && state.joined && !(state.crash && !state.crash.restarting);
}

/** A short word for the state, for health messages. */
export function describeConsumerState(state: ConsumerState): string {
  if (state.crash && !state.crash.restarting) return `crashed (${state.crash.error})`;
  if (!state.connected) return state.crash ? `restarting after: ${state.crash.error}` : 'disconnected';
  if (!state.joined) return 'not in its group yet';
  return state.rebalancing ? 'rebalancing' : 'consuming';
}

/**
 * Follows each handler's kafkajs consumer through its instrumentation events (fed by `consumerCreated`), so
 * health can tell whether it is connected and assigned without asking the broker.
 */
export class ConsumerStateTracker {
  private readonly states = new Map<Consumer, ConsumerState>();

  track(handler: string, groupId: string, consumer: Consumer): void {
    const initial: ConsumerState = {
      handler,
      groupId,
      connected: false,
      joined: false,
      rebalancing: false,
      joins: 0,
      assigned: {},
    };
    this.states.set(consumer, initial);
    const update = (
      change: Partial<ConsumerState> | ((state: ConsumerState) => Partial<ConsumerState>),
    ): void => {
      const current = this.states.get(consumer);
      if (current)
        this.states.set(consumer, {
          ...current,
          ...(typeof change === 'function' ? change(current) : change),
        });
    };
    const { CONNECT, GROUP_JOIN, REBALANCING, STOP, DISCONNECT, CRASH } = consumer.events;
    consumer.on(CONNECT, () => update({ connected: true }));
    consumer.on(GROUP_JOIN, ({ payload }) =>
      update((state) => ({
        joined: true,
        rebalancing: false,
        crash: undefined,
        joins: state.joins + 1,
        assigned: payload.memberAssignment,
      })),
    );
    consumer.on(REBALANCING, () => update({ rebalancing: true }));
    consumer.on(STOP, () => update({ joined: false, rebalancing: false, assigned: {} }));
    consumer.on(DISCONNECT, () =>
      update({ connected: false, joined: false, rebalancing: false, assigned: {} }),
    );
    consumer.on(CRASH, ({ payload }) =>
      update({ crash: { error: payload.error.message, restarting: payload.restart } }),
    );
  }

  /** Every tracked consumer, in creation order. */
  snapshot(): ConsumerState[] {
    return [...this.states.values()];
  }
}
