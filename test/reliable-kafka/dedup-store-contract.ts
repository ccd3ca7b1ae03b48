import type { DedupStore } from '../../libs/reliable-kafka/src/dedup';

/**
 * Behaviour every dedup store must show, run against each real store by the dedup-*.e2e-spec files.
 * `make(claimTtlMs)` returns a fresh store; stores made by one `make` share their keys (groups are unique per test).
 */
export function dedupStoreContract(make: (claimTtlMs: number) => Promise<DedupStore>): void {
  let group = 0;
  const nextGroup = () => `contract-${process.pid}-${Date.now()}-${++group}`;
  const opened: DedupStore[] = [];
  const open = async (claimTtlMs = 60_000) => {
    const store = await make(claimTtlMs);
    opened.push(store);
    return store;
  };
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  /** What a consumer does with one batch: claim, apply effects of claimed ids, mark them done. */
  async function consume(store: DedupStore, g: string, ids: string[], effects: string[]): Promise<void> {
    const statuses = await store.claim(g, ids);
    const claimed = ids.filter((_, i) => statuses[i] === 'claimed');
    effects.push(...claimed);
    await store.markDone(g, claimed);
  }

  it('processes duplicate ids once, across batches and inside one batch', async () => {
    const store = await open();
    const g = nextGroup();
    const effects: string[] = [];
    await consume(store, g, ['m1', 'm2', 'm1'], effects);
    await consume(store, g, ['m2', 'm3'], effects);
    await consume(store, g, ['m3', 'm1', 'm4'], effects);
    expect(effects.sort()).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('answers claimed / done / busy in the order of the ids', async () => {
    const store = await open();
    const g = nextGroup();
    expect(await store.claim(g, ['a', 'b'])).toEqual(['claimed', 'claimed']);
    await store.markDone(g, ['a']);
    expect(await store.claim(g, ['c', 'b', 'a'])).toEqual(['claimed', 'busy', 'done']);
    expect(await store.claim(g, [])).toEqual([]);
  });

  it('keeps consumer groups apart', async () => {
    const store = await open();
    const [g1, g2] = [nextGroup(), nextGroup()];
    await store.claim(g1, ['x']);
    await store.markDone(g1, ['x']);
    expect(await store.claim(g2, ['x'])).toEqual(['claimed']);
  });

  it('gives each id to exactly one of many concurrent claimers', async () => {
    const stores = [await open(), await open(), await open()];
    const g = nextGroup();
    const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`);
    const answers = await Promise.all(
      stores.flatMap((s) => [s.claim(g, ids), s.claim(g, [...ids].reverse())]),
    );
    const claimedPerId = ids.map(
      (_, i) => answers.filter((a, j) => a[j % 2 === 0 ? i : ids.length - 1 - i] === 'claimed').length,
    );
    expect(claimedPerId).toEqual(ids.map(() => 1));
  });

  it('reprocesses after a crash between claim and done, once the claim expired', async () => {
    const store = await open(300);
    const g = nextGroup();
    expect(await store.claim(g, ['crash'])).toEqual(['claimed']);
    // the "crashed" consumer never calls markDone nor release
    expect(await store.claim(g, ['crash'])).toEqual(['busy']);
    await new Promise((r) => setTimeout(r, 600));
    expect(await store.claim(g, ['crash'])).toEqual(['claimed']);
  });

  it('release makes a failed id claimable at once and never erases a done mark', async () => {
    const store = await open();
    const g = nextGroup();
    await store.claim(g, ['fail', 'ok']);
    await store.markDone(g, ['ok']);
    await store.release(g, ['fail', 'ok']);
    expect(await store.claim(g, ['fail', 'ok'])).toEqual(['claimed', 'done']);
  });

  it('answers ping', async () => {
    await expect((await open()).ping()).resolves.toBeUndefined();
  });
}
