import Redis from 'ioredis';
import type { ClaimStatus, DedupStore } from './dedup-store.interface';
import { distinctIds, expandStatuses } from './batch-ids.util';
import { DEDUP_DEFAULTS, type DedupTtls } from './dedup-settings.util';
import { DedupStoreUnavailableError } from './dedup-store-unavailable.error';
import { withTimeout } from './with-timeout.util';

/** Deletes each key only while it still holds a claim, so a release never erases a "done" mark. */
const RELEASE_SCRIPT = `
local released = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == 'processing' then
    redis.call('DEL', key)
    released = released + 1
  end
end
return released`;

/** Settings of the Redis store. */
export interface RedisDedupStoreSettings extends DedupTtls {
  url: string;
  keyPrefix: string;
  operationTimeoutMs: number;
}

/**
 * Dedup store on Redis. Key `<prefix>:<group>:<id>` holds `processing` (a claim, expires after claimTtl)
 * or `done` (expires after the retention). A crash between claim and done leaves a claim that expires,
 * so the message is processed again, never skipped.
 *
 * On Redis Cluster give `keyPrefix` a hash tag (e.g. `{dedup}`) so a batch's keys share a slot (one pipeline,
 * one release script).
 *
 * Commands are never queued while disconnected: they fail fast with DedupStoreUnavailableError
 * so the consumer can pause instead of hanging.
 */
export class RedisDedupStore implements DedupStore {
  private constructor(
    private readonly redis: Redis,
    private readonly settings: RedisDedupStoreSettings,
  ) {}

  /** Connects (bounded by operationTimeoutMs) and returns the store; rejects with DedupStoreUnavailableError. */
  static async connect(settings: RedisDedupStoreSettings): Promise<RedisDedupStore> {
    let started = false;
    const redis = new Redis(settings.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: settings.operationTimeoutMs,
      connectTimeout: settings.operationTimeoutMs,
      // once started, keep reconnecting in the background (callers get fast failures meanwhile);
      // a failed first connect gives up at once so startup reports it
      retryStrategy: (attempt) => (started ? Math.min(attempt * 100, 2_000) : null),
    });
    redis.on('error', () => undefined); // surfaced through the rejected commands instead
    try {
      await withTimeout(redis.connect(), settings.operationTimeoutMs, () => new Error('connect timed out'));
      started = true;
      return new RedisDedupStore(redis, settings);
    } catch (error) {
      if (redis.status !== 'end') redis.disconnect(); // on 'end' it would only arm a 2 s no-op timer
      throw new DedupStoreUnavailableError('redis', 'connect', error);
    }
  }

  async claim(group: string, ids: readonly string[]): Promise<ClaimStatus[]> {
    if (ids.length === 0) return [];
    const distinct = distinctIds(ids);
    const pipeline = this.redis.pipeline();
    for (const id of distinct) {
      const key = this.key(group, id);
      pipeline.set(key, 'processing', 'PX', this.settings.claimTtlMs, 'NX');
      pipeline.get(key);
    }
    const replies = await this.exec('claim', pipeline);
    const statuses = distinct.map((_, i): ClaimStatus => {
      if (replies[2 * i] === 'OK') return 'claimed';
      // 'done' is a duplicate; 'processing' (or a claim that just expired: null) is someone else's work
      return replies[2 * i + 1] === 'done' ? 'done' : 'busy';
    });
    return expandStatuses(ids, distinct, statuses);
  }

  async markDone(group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of distinctIds(ids))
      pipeline.set(this.key(group, id), 'done', 'PX', this.settings.retentionMs);
    await this.exec('markDone', pipeline);
  }

  async release(group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const keys = distinctIds(ids).map((id) => this.key(group, id));
    await this.guard('release', this.redis.eval(RELEASE_SCRIPT, keys.length, ...keys));
  }

  async ping(): Promise<void> {
    await this.guard('ping', this.redis.ping());
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect(); // not connected: nothing to flush
    }
  }

  private key(group: string, id: string): string {
    return `${this.settings.keyPrefix}:${group}:${id}`;
  }

  private async exec(operation: string, pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
    const results = await this.guard(operation, pipeline.exec());
    if (!results) throw new DedupStoreUnavailableError('redis', operation, new Error('pipeline aborted'));
    return results.map(([error, reply]) => {
      if (error) throw new DedupStoreUnavailableError('redis', operation, error);
      return reply;
    });
  }

  private async guard<T>(operation: string, work: Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        work,
        this.settings.operationTimeoutMs,
        () => new Error(`timed out after ${this.settings.operationTimeoutMs} ms`),
      );
    } catch (error) {
      throw error instanceof DedupStoreUnavailableError
        ? error
        : new DedupStoreUnavailableError('redis', operation, error);
    }
  }
}

/** Redis store settings from the module's dedup options, defaults applied. */
export function redisSettings(
  options: { url: string; keyPrefix?: string },
  ttls: DedupTtls,
): RedisDedupStoreSettings {
  return {
    ...ttls,
    url: options.url,
    keyPrefix: options.keyPrefix ?? DEDUP_DEFAULTS.keyPrefix,
    operationTimeoutMs: DEDUP_DEFAULTS.operationTimeoutMs,
  };
}
