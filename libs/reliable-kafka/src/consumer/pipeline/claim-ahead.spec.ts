import type { KafkaMessage } from 'kafkajs';
import { distinctIds, expandStatuses } from '../../dedup/batch-ids.util';
import type { ClaimStatus } from '../../dedup/dedup-store.interface';
import { FakeDedupStore, messagesOf, record, testMapping, unreadableIdAt } from './batch-runner.fixtures';
import { ClaimAhead } from './claim-ahead';
import { StoreReachability } from './store-reachability';
import type { MessageMapping } from './message-mapper.util';

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `id${from + i}`);
const laneOf = (n: number) => ids(0, n).map((id, i) => record(i, String(i), id));
const claimed = (n: number): ClaimStatus[] => Array(n).fill('claimed');

/**
 * A ClaimAhead over `lane` (chunks of `chunkSize`) with a FakeDedupStore and a clock the spec moves. `claims()`
 * and `releases()` list the ids of each store call.
 */
function harness(
  lane: KafkaMessage[],
  chunkSize: number,
  setup: { mapping?: MessageMapping; claimTtlMs?: number } = {},
) {
  const claimTtlMs = setup.claimTtlMs ?? 60_000;
  const store = new FakeDedupStore(claimTtlMs);
  const clock = { now: 0 };
  const mapping = setup.mapping ?? testMapping;
  // calls bounded at half the TTL: a claim older than that has too little left for a call
  const source = {
    lane,
    topic: 't',
    partition: 0,
    mapping,
    chunkSize,
    claimTtlMs,
    callBoundMs: claimTtlMs / 2,
  };
  const reachability = new StoreReachability();
  const ahead = new ClaimAhead(source, store, 'g', reachability, () => clock.now);
  const chunk = (index: number) => lane.slice(index * chunkSize, (index + 1) * chunkSize);
  const statusesFor = (records: KafkaMessage[]) => ahead.statusesFor(records, messagesOf(records));
  const idsOf = (method: string) =>
    store.log.filter((l) => l.startsWith(`${method} `)).map((l) => l.slice(method.length + 1).split(','));
  return {
    store,
    clock,
    ahead,
    reachability,
    statusesOf: (index: number) => statusesFor(chunk(index)),
    statusesFor,
    claims: () => idsOf('claim'),
    releases: () => idsOf('release'),
  };
}

/** Answers the store's first claim at once and the second only when the returned function is called. */
function holdSecondClaim(h: ReturnType<typeof harness>): (statuses: ClaimStatus[]) => void {
  let answer: (statuses: ClaimStatus[]) => void = () => undefined;
  h.store.answer = (list) =>
    h.claims().length === 1 ? claimed(list.length) : new Promise((resolve) => (answer = resolve));
  return (statuses) => answer(statuses);
}

describe('ClaimAhead', () => {
  it('claims whole chunks in one window and serves each chunk from it without another round trip', async () => {
    const h = harness(laneOf(10), 3);
    for (const [index, size] of [3, 3, 3, 1].entries())
      expect(await h.statusesOf(index)).toEqual(claimed(size));
    expect(h.claims()).toEqual([ids(0, 10)]);
  });

  it.each([
    [300, 900],
    [250, 1000],
    [1500, 1500],
  ])(
    'with chunks of %i ids, claims windows of %i ids (whole chunks up to 1000, or one chunk)',
    async (size, window) => {
      const h = harness(laneOf(3000), size);
      await h.statusesOf(0);
      expect(h.claims()[0]).toEqual(ids(0, window));
    },
  );

  it('claims the next window in the background once a chunk is served from the first one', async () => {
    const h = harness(laneOf(2500), 500);
    const answerSecond = holdSecondClaim(h);
    expect(await h.statusesOf(0)).toEqual(claimed(500));
    expect(h.claims()).toEqual([ids(0, 1000)]);
    expect(await h.statusesOf(1)).toEqual(claimed(500)); // served while the next window's claim is unanswered
    expect(h.claims()).toEqual([ids(0, 1000), ids(1000, 2000)]);
    answerSecond(claimed(1000));
    h.store.answer = (list) => claimed(list.length);
    for (const index of [2, 3, 4]) expect(await h.statusesOf(index)).toEqual(claimed(500));
    expect(h.claims()).toEqual([ids(0, 1000), ids(1000, 2000), ids(2000, 2500)]);
  });

  it('hands done ids to the chunk as done, like a per-chunk claim', async () => {
    const h = harness(laneOf(4), 2);
    h.store.answer = () => ['claimed', 'done', 'done', 'claimed'];
    expect(await h.statusesOf(0)).toEqual(['claimed', 'done']);
    expect(await h.statusesOf(1)).toEqual(['done', 'claimed']);
  });

  it("gives our claims back from a busy id's chunk on, so that chunk and later ones claim for themselves", async () => {
    const h = harness(laneOf(10), 2);
    h.store.answer = (list) => list.map((id) => (id === 'id5' ? 'busy' : id === 'id7' ? 'done' : 'claimed'));
    expect(await h.statusesOf(0)).toEqual(claimed(2));
    expect(h.releases()).toEqual([['id4', 'id6', 'id8', 'id9']]);
    expect(await h.statusesOf(1)).toEqual(claimed(2));
    expect(await h.statusesOf(2)).toBeNull();
    expect(await h.statusesOf(3)).toBeNull();
    expect(h.claims()).toHaveLength(1);
  });

  it('releases claims older than half the claim TTL, and each chunk then claims afresh', async () => {
    const h = harness(laneOf(6), 2, { claimTtlMs: 1000 });
    await h.statusesOf(0);
    h.clock.now = 500;
    expect(await h.statusesOf(1)).toEqual(claimed(2));
    expect(h.releases()).toEqual([]);
    h.clock.now = 501;
    expect(await h.statusesOf(2)).toBeNull();
    expect(h.releases()).toEqual([['id4', 'id5']]);
    expect(h.claims()).toHaveLength(1);
  });

  it('releaseAll gives back only the claimed ids no chunk took', async () => {
    const h = harness(laneOf(6), 2);
    h.store.answer = (list) => list.map((id) => (id === 'id3' ? 'done' : 'claimed'));
    await h.statusesOf(0);
    await h.ahead.releaseAll();
    expect(h.releases()).toEqual([['id2', 'id4', 'id5']]);
    await h.ahead.releaseAll();
    expect(h.releases()).toHaveLength(1);
    expect(await h.statusesOf(1)).toBeNull(); // given back: that chunk claims for itself
  });

  it('releaseAll waits for a window being claimed in the background and gives it back too', async () => {
    const h = harness(laneOf(1500), 500);
    const answerSecond = holdSecondClaim(h);
    await h.statusesOf(0);
    await h.statusesOf(1);
    const releasing = h.ahead.releaseAll();
    answerSecond(claimed(500));
    await releasing;
    expect(h.releases()).toEqual([ids(1000, 1500)]);
  });

  it('ends a window before a record whose id cannot be read; the next window starts after it', async () => {
    const lane = [0, 1, 2, 3, 4, 5].map((offset) => record(offset));
    const h = harness(lane, 2, { mapping: unreadableIdAt(3) });
    await h.statusesOf(0);
    expect(h.claims()).toEqual([['t/0/0', 't/0/1', 't/0/2']]);
    expect(await h.statusesFor([lane[2]])).toEqual(['claimed']); // the readable part of the second chunk
    expect(await h.statusesFor(lane.slice(4))).toEqual(claimed(2));
    expect(h.claims()).toEqual([
      ['t/0/0', 't/0/1', 't/0/2'],
      ['t/0/4', 't/0/5'],
    ]);
  });

  it('throws ClaimUnavailableError (unreachable) when the store cannot claim; the next chunk claims for itself until the store answers', async () => {
    const h = harness(laneOf(4), 2);
    h.store.failures.claim = 1;
    await expect(h.statusesOf(0)).rejects.toMatchObject({
      name: 'ClaimUnavailableError',
      reason: 'unreachable',
    });
    expect(await h.statusesOf(0)).toBeNull();
    await h.reachability.observe(Promise.resolve()); // the chunk's own claim went through
    expect(await h.statusesOf(0)).toEqual(claimed(2));
    expect(h.claims()).toEqual([ids(0, 4), ids(0, 4)]);
  });

  it('leaves the chunks of a window that failed in the background to claim for themselves', async () => {
    const h = harness(laneOf(1500), 500);
    await h.statusesOf(0);
    h.store.failures.claim = 1;
    expect(await h.statusesOf(1)).toEqual(claimed(500)); // served from the first window
    expect(await h.statusesOf(2)).toBeNull(); // the next window failed: not held, not thrown
    expect(h.claims()).toEqual([ids(0, 1000), ids(1000, 1500)]);
  });

  it('starts no chunk on a claim made ahead once the store failed (a mark), and gives those claims back', async () => {
    const h = harness(laneOf(8), 2);
    expect(await h.statusesOf(0)).toEqual(claimed(2));
    await h.reachability.observe(Promise.reject(new Error('ECONNREFUSED'))).catch(() => undefined);
    expect(await h.statusesOf(1)).toBeNull();
    expect(h.releases()).toEqual([ids(2, 8)]);
    await h.reachability.observe(Promise.resolve());
    expect(await h.statusesOf(2)).toBeNull(); // its claim went back: it claims for itself
  });

  it('returns null for records it handed out already (a retry from within a chunk claims for itself)', async () => {
    const h = harness(laneOf(4), 2);
    await h.statusesOf(0);
    expect(await h.statusesFor(laneOf(4).slice(1, 2))).toBeNull();
    expect(h.claims()).toHaveLength(1);
  });

  it('hands a chunk that carries the same id twice the second one as done, like a per-chunk claim', async () => {
    const lane = ['a', 'a', 'b', 'c'].map((id, i) => record(i, String(i), id));
    const h = harness(lane, 2);
    h.store.answer = (list) => {
      const distinct = distinctIds(list);
      return expandStatuses(list, distinct, claimed(distinct.length));
    };
    // A per-chunk claim of ['a', 'a'] answers ['claimed', 'done'] (every store, through expandStatuses), so the
    // handler gets 'a' once; from a claim made ahead both come back 'claimed' and the handler gets 'a' twice.
    expect(await h.statusesOf(0)).toEqual(['claimed', 'done']);
  });
});
