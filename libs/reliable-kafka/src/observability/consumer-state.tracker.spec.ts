import { ConsumerStateTracker, describeConsumerState, isConsumerHealthy } from './consumer-state.tracker';
import { FakeConsumer } from './fake-consumer.fixtures';

function tracked() {
  const tracker = new ConsumerStateTracker();
  const consumer = new FakeConsumer();
  tracker.track('Orders.handle', 'billing', consumer.asConsumer);
  const state = () => tracker.snapshot()[0];
  return { consumer, state };
}

describe('ConsumerStateTracker', () => {
  it('is unhealthy until connected and joined, then reports the assignment', () => {
    const { consumer, state } = tracked();
    expect(isConsumerHealthy(state())).toBe(false);
    consumer.emit('CONNECT');
    expect(describeConsumerState(state())).toBe('not in its group yet');
    expect(isConsumerHealthy(state())).toBe(false);
    consumer.join({ orders: [0, 2] });
    expect(state()).toEqual(
      expect.objectContaining({ connected: true, joined: true, assigned: { orders: [0, 2] } }),
    );
    expect(isConsumerHealthy(state())).toBe(true);
  });

  it('stays healthy through a rebalance and takes the new assignment on rejoin', () => {
    const { consumer, state } = tracked();
    consumer.emit('CONNECT');
    consumer.join({ orders: [0, 1, 2] });
    consumer.emit('REBALANCING');
    expect(describeConsumerState(state())).toBe('rebalancing');
    expect(isConsumerHealthy(state())).toBe(true);
    consumer.join({ orders: [1] });
    expect(state().assigned).toEqual({ orders: [1] });
    expect(state().rebalancing).toBe(false);
  });

  it('is unhealthy while restarting after a crash and healthy again once it rejoins', () => {
    const { consumer, state } = tracked();
    consumer.emit('CONNECT');
    consumer.join({ orders: [0] });
    // kafkajs disconnects a crashed consumer (STOP, DISCONNECT), then reports the crash
    consumer.emit('STOP');
    consumer.emit('DISCONNECT');
    consumer.emit('CRASH', { error: new Error('coordinator gone'), groupId: 'billing', restart: true });
    expect(describeConsumerState(state())).toBe('restarting after: coordinator gone');
    expect(isConsumerHealthy(state())).toBe(false);
    consumer.emit('CONNECT');
    consumer.join({ orders: [0] });
    expect(isConsumerHealthy(state())).toBe(true);
    expect(state().crash).toBeUndefined();
  });

  it('reports a consumer kafkajs will not restart as crashed', () => {
    const { consumer, state } = tracked();
    consumer.emit('CONNECT');
    consumer.join({ orders: [0] });
    consumer.emit('CRASH', { error: new Error('not retriable'), groupId: 'billing', restart: false });
    expect(describeConsumerState(state())).toBe('crashed (not retriable)');
    expect(isConsumerHealthy(state())).toBe(false);
  });
});
