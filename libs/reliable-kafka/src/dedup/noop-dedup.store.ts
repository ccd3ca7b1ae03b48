import type { ClaimStatus, DedupStore } from './dedup-store.interface';

/** `dedup: { store: 'none' }`: every id is claimable, nothing is remembered (plain at-least-once). */
export class NoopDedupStore implements DedupStore {
  async claim(_group: string, ids: readonly string[]): Promise<ClaimStatus[]> {
    return ids.map(() => 'claimed');
  }
  async markDone(): Promise<void> {}
  async release(): Promise<void> {}
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}
