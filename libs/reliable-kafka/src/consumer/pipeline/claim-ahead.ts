import type { KafkaMessage } from 'kafkajs';
import type { ClaimStatus, DedupStore } from '../../dedup/dedup-store.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { ClaimUnavailableError } from './claim-unavailable.error';
import type { StoreReachability } from './store-reachability';
import { DedupStoreUnavailableError } from '../../dedup/dedup-store-unavailable.error';
import type { MessageMapping } from './message-mapper.util';
import { recordIdOf } from './record-id';
import { dedupKey, dedupKeysOf } from '../../dedup/dedup-key.util';

/** Most ids one claim-ahead round trip covers. */
export const CLAIM_AHEAD_MAX_IDS = 1000;

/** Where a lane's records come from and how they are claimed ahead. */
export interface ClaimAheadSource {
  lane: readonly KafkaMessage[];
  topic: string;
  partition: number;
  mapping: MessageMapping;
  /** The lane's chunk size (`maxBatchSize`): windows and busy cuts follow chunk boundaries. */
  chunkSize: number;
  claimTtlMs: number;
  /** The longest a chunk's call may run (its call timeout, else `maxProcessingTimeMs`). */
  callBoundMs: number;
}

/**
 * Claims the ids of several chunks of one lane in one store round trip (DESIGN §2), so each chunk of a long lane
 * costs the handler call and its (pipelined) mark-done, not one claim round trip more. Ownership of a claim moves
 * to the chunk that takes it (its settlement marks it done or releases it); what no chunk took is released by
 * `releaseAll` when the lane ends (stops, hands back) or a chunk fails.
 *
 * - `done` ids are handed to the chunk like a per-chunk claim would: completed without a handler call.
 * - `busy` (another consumer's claim): our claims from the busy id's chunk on are released at once, so that
 *   chunk and every later one fall back to claiming for themselves, which waits on the busy id (never skips it).
 * - TTL: a chunk starts on a claim made ahead only while the claim has at least its call's longest time left
 *   (`callBoundMs`): an older one is released and the chunk claims afresh, so a claim always covers its call.
 * - Outage: once the handler saw the store fail (StoreReachability), no chunk starts on a claim made ahead; each
 *   claims for itself, which waits until the store answers again.
 */
export class ClaimAhead {
  /** Claimed-ahead ids no chunk took yet, with their status ('claimed' or 'done'). */
  private readonly held = new Map<string, ClaimStatus>();
  /** Lane index up to which ids were claimed ahead; chunks before it never trigger another window. */
  private claimedEnd = 0;
  private cursor = 0;
  /** When the oldest claim still held was made (a window claimed while others are held keeps the older time). */
  private claimedAt = 0;
  private prefetch: Promise<unknown> | null = null;
  /** The store refused a window: from then on every chunk claims its own ids. */
  private refused = false;

  constructor(
    private readonly source: ClaimAheadSource,
    private readonly store: DedupStore,
    private readonly groupId: string,
    private readonly reachability: StoreReachability,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Statuses for `messages` (the records `records` of the lane, in order), taken from a claim made ahead (one
   * window claimed now if the chunk starts past every earlier window); null when the chunk must claim for itself.
   * Throws ClaimUnavailableError when the store cannot answer.
   */
  async statusesFor(
    records: readonly KafkaMessage[],
    messages: readonly ReliableMessage[],
  ): Promise<ClaimStatus[] | null> {
    if (this.prefetch) await this.prefetch;
    if (this.refused) return null;
    // The store stopped answering: no call starts on a claim made before (the chunk's own claim waits for it).
    if (this.reachability.down) {
      await this.releaseAll();
      return null;
    }
    // A chunk never starts on a claim with less protection left than its call may take: another consumer could
    // claim the id while the call still runs. Such claims go back and the chunk claims afresh.
    const left = this.claimedAt + this.source.claimTtlMs - this.now();
    if (this.held.size > 0 && left < this.source.callBoundMs) await this.releaseAll();
    const taken = this.take(messages);
    if (taken) {
      this.prefetchNext();
      return taken;
    }
    await this.release(dedupKeysOf(messages)); // partly held: the chunk claims all of its ids itself
    const position = this.source.lane.indexOf(records[0], this.cursor);
    if (position < 0 || position < this.claimedEnd) return null;
    this.cursor = position;
    await this.claimWindow(position);
    return this.take(messages);
  }

  /** Releases every claim no chunk took (lane ended, or a chunk failed and may back off for long). */
  async releaseAll(): Promise<void> {
    if (this.prefetch) await this.prefetch;
    await this.release([...this.held.keys()]);
  }

  /**
   * Keeps one window claimed ahead of the one being used: as soon as at most a window's worth of ids is held, the
   * next window is claimed in the background. With fast handlers a window is used up in less time than the
   * store takes to claim the next (about 2.5 us per id inside Redis), so claiming only when the last chunk of a
   * window started left every lane waiting for most of each claim. A failed prefetch only leaves the next chunk
   * to claim itself.
   */
  private prefetchNext(): void {
    const { lane } = this.source;
    if (this.prefetch || this.held.size > this.windowSize() || this.claimedEnd >= lane.length) return;
    this.prefetch = this.claimWindow(this.claimedEnd)
      .catch(() => undefined)
      .finally(() => (this.prefetch = null));
  }

  private take(messages: readonly ReliableMessage[]): ClaimStatus[] | null {
    const keys = dedupKeysOf(messages);
    const statuses: ClaimStatus[] = [];
    const seen = new Set<string>();
    for (const key of keys) {
      const status = this.held.get(key);
      if (status === undefined) return null;
      // The same id twice in the chunk: the first does the work, as a per-chunk claim answers (expandStatuses).
      statuses.push(seen.has(key) && status !== 'busy' ? 'done' : status);
      seen.add(key);
    }
    for (const key of keys) this.held.delete(key);
    return statuses;
  }

  /** Ids per claim: whole chunks, up to CLAIM_AHEAD_MAX_IDS (one chunk when a chunk is larger). */
  private windowSize(): number {
    const { chunkSize } = this.source;
    return Math.max(chunkSize, Math.floor(CLAIM_AHEAD_MAX_IDS / chunkSize) * chunkSize);
  }

  private async claimWindow(position: number): Promise<void> {
    const { lane, topic, partition, mapping, chunkSize } = this.source;
    const size = this.windowSize();
    // Ids only: the values are deserialized once, by the chunk that runs them (JSON.parse twice per record was
    // most of what claiming ahead cost). A record that then fails to deserialize fails its chunk, whose lane
    // releases every id still held.
    const ids: string[] = [];
    for (const r of lane.slice(position, position + size)) {
      try {
        ids.push(dedupKey(recordIdOf(topic, partition, r, mapping).bytes));
      } catch {
        break; // an unreadable id fails its chunk when mapped; the window ends before it
      }
    }
    if (ids.length === 0) return;
    let statuses: ClaimStatus[];
    try {
      statuses = await this.reachability.observe(this.store.claim(this.groupId, ids));
    } catch (error) {
      if (!(error instanceof DedupStoreUnavailableError && error.refused))
        throw new ClaimUnavailableError(this.groupId, 'unreachable', error);
      // The store refuses something in the window: chunks claim for themselves, so only the refused one fails.
      this.refused = true;
      return;
    }
    this.claimedEnd = position + ids.length;
    if (this.held.size === 0) this.claimedAt = this.now();
    const busy = statuses.indexOf('busy');
    const cut = busy < 0 ? ids.length : busy - (busy % chunkSize);
    for (let i = 0; i < cut; i++) if (!this.held.has(ids[i])) this.held.set(ids[i], statuses[i]);
    // From the busy id's chunk on, our claims go back now (an id also kept before the cut stays ours).
    const giveBack = ids.filter((id, i) => i >= cut && statuses[i] === 'claimed' && !this.held.has(id));
    if (giveBack.length) await this.store.release(this.groupId, giveBack).catch(() => undefined);
  }

  private async release(ids: readonly string[]): Promise<void> {
    const mine = ids.filter((id) => this.held.get(id) === 'claimed');
    for (const id of ids) this.held.delete(id);
    // A failed release only delays the ids until their claim TTL ends; the records are fetched again anyway.
    if (mine.length) await this.store.release(this.groupId, mine).catch(() => undefined);
  }
}
