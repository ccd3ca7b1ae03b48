import { MemoryDedupStore } from './memory-dedup.store';

describe('MemoryDedupStore', () => {
  let now = 0;
  const store = () => new MemoryDedupStore({ claimTtlMs: 1_000, retentionMs: 10_000 }, () => now);
  beforeEach(() => (now = 1_000_000));

  it('claims new ids, reports done ids as done and live claims as busy', async () => {
    const s = store();
    expect(await s.claim('g', ['a', 'b'])).toEqual(['claimed', 'claimed']);
    await s.markDone('g', ['a']);
    expect(await s.claim('g', ['a', 'b', 'c'])).toEqual(['done', 'busy', 'claimed']);
  });

  it('keeps groups apart', async () => {
    const s = store();
    await s.claim('g1', ['a']);
    await s.markDone('g1', ['a']);
    expect(await s.claim('g2', ['a'])).toEqual(['claimed']);
  });

  it('lets an expired claim (crash before done) be claimed again', async () => {
    const s = store();
    await s.claim('g', ['a']);
    now += 999;
    expect(await s.claim('g', ['a'])).toEqual(['busy']);
    now += 1;
    expect(await s.claim('g', ['a'])).toEqual(['claimed']);
  });

  it('release frees a claim at once but never erases a done mark', async () => {
    const s = store();
    await s.claim('g', ['a', 'b']);
    await s.markDone('g', ['b']);
    await s.release('g', ['a', 'b']);
    expect(await s.claim('g', ['a', 'b'])).toEqual(['claimed', 'done']);
  });

  it('forgets done ids after the retention', async () => {
    const s = store();
    await s.claim('g', ['a']);
    await s.markDone('g', ['a']);
    now += 10_000;
    expect(await s.claim('g', ['a'])).toEqual(['claimed']);
  });

  it('reports a repeated id inside one batch as done after the first claim', async () => {
    const s = store();
    expect(await s.claim('g', ['a', 'a', 'b'])).toEqual(['claimed', 'done', 'claimed']);
    expect(await s.claim('g', ['a', 'a'])).toEqual(['busy', 'busy']);
  });
});
