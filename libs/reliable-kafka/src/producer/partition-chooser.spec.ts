import { PartitionChooser, type ChooserContext } from './partition-chooser';
import type { PreparedRecord } from './prepare-records.util';

const record = (key: string | null, bytes = 10, explicitPartition?: number): PreparedRecord => ({
  record: { key, value: 'v', headers: {} },
  messageId: 'id',
  bytes,
  ...(explicitPartition !== undefined && { explicitPartition }),
});

function context(queued: Record<number, number> = {}, backedOff: number[] = []): ChooserContext {
  return {
    partitionForKey: (key) => String(key).length % 3,
    queuedBytes: (_, p) => queued[p] ?? 0,
    isBackedOff: (_, p) => backedOff.includes(p),
  };
}

describe('PartitionChooser', () => {
  it("takes the caller's partition, else the key's partition", () => {
    const chooser = new PartitionChooser(context(), 100);
    expect(chooser.choose('t', record('k', 10, 2), 3)).toBe(2);
    expect(chooser.choose('t', record('kk'), 3)).toBe(2);
  });

  it('keeps keyless records on one partition until its request goes out, then moves on', () => {
    const chooser = new PartitionChooser(context(), 100);
    const first = chooser.choose('t', record(null), 4);
    expect(chooser.choose('t', record(null), 4)).toBe(first);
    chooser.onRequestSent('t', first);
    expect(chooser.choose('t', record(null), 4)).toBe((first + 1) % 4);
  });

  it('moves keyless records on when the sticky partition has a full batch queued, and skips backed-off ones', () => {
    const queued: Record<number, number> = {};
    const chooser = new PartitionChooser(context(queued, [1]), 100);
    const first = chooser.choose('t', record(null), 3);
    queued[first] = 95;
    const next = chooser.choose('t', record(null, 10), 3);
    expect(next).not.toBe(first);
    expect(next).not.toBe(1);
  });

  it('falls back to the least loaded partition when every partition is full or backed off', () => {
    const chooser = new PartitionChooser(context({ 0: 500, 1: 300, 2: 900 }), 100);
    expect(chooser.choose('t', record(null), 3)).toBe(1);
  });
});
