import { findStuckCalls, InFlightCallTracker, type OpenCall } from './in-flight-calls.tracker';

const ref = (partition: number) => ({ groupId: 'billing', topic: 'orders', partition });
const limits: Record<string, number> = { 'Orders.handle': 1_000, 'Audit.handle': 5_000 };
const limitOf = (handler: string): number | undefined => limits[handler];

describe('findStuckCalls', () => {
  it('reports only calls open longer than their own handler limit, longest first', () => {
    const open: OpenCall[] = [
      { ref: ref(0), handler: 'Orders.handle', size: 3, startedAt: 9_500 }, // 500 ms: fine
      { ref: ref(1), handler: 'Orders.handle', size: 1, startedAt: 8_000 }, // 2000 ms > 1000: stuck
      { ref: ref(2), handler: 'Audit.handle', size: 2, startedAt: 8_000 }, // 2000 ms < 5000: fine
      { ref: ref(3), handler: 'Orders.handle', size: 4, startedAt: 6_000 }, // 4000 ms: stuck
    ];
    expect(findStuckCalls(open, 10_000, limitOf)).toEqual([
      {
        handler: 'Orders.handle',
        groupId: 'billing',
        topic: 'orders',
        partition: 3,
        size: 4,
        runningForMs: 4_000,
        maxProcessingTimeMs: 1_000,
      },
      expect.objectContaining({ partition: 1, runningForMs: 2_000 }),
    ]);
  });

  it('does not call a call stuck at exactly its limit, nor judge handlers without a known limit', () => {
    const open: OpenCall[] = [
      { ref: ref(0), handler: 'Orders.handle', size: 1, startedAt: 9_000 },
      { ref: ref(1), handler: 'Unknown.handle', size: 1, startedAt: 0 },
    ];
    expect(findStuckCalls(open, 10_000, limitOf)).toEqual([]);
    expect(findStuckCalls(open, 10_001, limitOf)).toEqual([expect.objectContaining({ partition: 0 })]);
  });
});

describe('InFlightCallTracker', () => {
  it('reports a call stuck while open past the limit and forgets it once it ends', () => {
    let now = 0;
    const tracker = new InFlightCallTracker(() => now);
    const end = tracker.start(ref(0), 'Orders.handle', 2);
    const other = tracker.start(ref(1), 'Orders.handle', 1);
    now = 1_500;
    expect(
      tracker
        .stuck(limitOf)
        .map((c) => c.partition)
        .sort(),
    ).toEqual([0, 1]);
    end();
    expect(tracker.stuck(limitOf).map((c) => c.partition)).toEqual([1]);
    other();
    other(); // a second end is harmless
    expect(tracker.open()).toEqual([]);
    expect(tracker.stuck(limitOf)).toEqual([]);
  });
});
