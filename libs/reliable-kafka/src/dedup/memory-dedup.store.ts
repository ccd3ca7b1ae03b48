import type { ClaimStatus, DedupStore } from './dedup-store.interface';
import { distinctIds, expandStatuses } from './batch-ids.util';
import type { DedupTtls } from './dedup-settings.util';

interface Entry {
  status: 'processing' | 'done';
  expiresAt: number;
}

/**
 * In-process dedup store: a Map with TTLs.
 *
 * NOT DURABLE and NOT SHARED: it forgets everything on restart and other processes cannot see it,
 * so it only suppresses duplicates seen by this one process. Meant for the embedded development default and tests.
 */
export class MemoryDedupStore implements DedupStore {
  private readonly entries = new Map<string, Entry>();
  private writesSinceSweep = 0;

  constructor(
    private readonly ttls: DedupTtls,
    private readonly now: () => number = Date.now,
  ) {}

  get claimTtlMs(): number {
    return this.ttls.claimTtlMs;
  }

  async claim(group: string, ids: readonly string[]): Promise<ClaimStatus[]> {
    const distinct = distinctIds(ids);
    const now = this.now();
    const statuses = distinct.map((id): ClaimStatus => {
      const key = this.key(group, id);
      const entry = this.entries.get(key);
      if (entry && entry.expiresAt > now) return entry.status === 'done' ? 'done' : 'busy';
      this.entries.set(key, { status: 'processing', expiresAt: now + this.ttls.claimTtlMs });
      return 'claimed';
    });
    return expandStatuses(ids, distinct, statuses);
  }

  async markDone(group: string, ids: readonly string[]): Promise<void> {
    const expiresAt = this.now() + this.ttls.retentionMs;
    for (const id of ids) this.entries.set(this.key(group, id), { status: 'done', expiresAt });
    this.sweep();
  }

  async release(group: string, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const key = this.key(group, id);
      if (this.entries.get(key)?.status === 'processing') this.entries.delete(key);
    }
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }

  private key(group: string, id: string): string {
    return JSON.stringify([group, id]);
  }

  /** Drops expired entries now and then so memory stays bounded by the retention window. */
  private sweep(): void {
    if (++this.writesSinceSweep < 1024) return;
    this.writesSinceSweep = 0;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
