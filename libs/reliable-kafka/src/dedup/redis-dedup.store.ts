import Redis from 'ioredis';
import type { ClaimStatus, DedupPersistence, DedupStore } from './dedup-store.interface';
import { distinctIds, expandStatuses } from './batch-ids.util';
import { DEDUP_DEFAULTS, type DedupTtls } from './dedup-settings.util';
import { DedupStoreUnavailableError } from './dedup-store-unavailable.error';
import { defineDedupCommands, type DedupCommands } from './redis-dedup.scripts';
import { withTimeout } from './with-timeout.util';

const STATUS_BY_CODE: Readonly<Record<string, ClaimStatus>> = { c: 'claimed', d: 'done', b: 'busy' };

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
 * Each method is ONE Lua script call per batch (EVALSHA, see redis-dedup.scripts.ts): one round trip and one
 * timeout per call, whatever the batch size. On Redis Cluster give `keyPrefix` a hash tag (e.g. `{dedup}`) so a
 * batch's keys share a slot.
 *
 * Commands are never queued while disconnected: they fail fast with DedupStoreUnavailableError
 * so the consumer can pause instead of hanging.
 */
export class RedisDedupStore implements DedupStore {
  private constructor(
    private readonly redis: Redis & DedupCommands,
    private readonly settings: RedisDedupStoreSettings,
  ) {}

  get claimTtlMs(): number {
    return this.settings.claimTtlMs;
  }

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
      return new RedisDedupStore(defineDedupCommands(redis), settings);
    } catch (error) {
      if (redis.status !== 'end') redis.disconnect(); // on 'end' it would only arm a 2 s no-op timer
      throw new DedupStoreUnavailableError('redis', 'connect', error);
    }
  }

  async claim(group: string, ids: readonly string[]): Promise<ClaimStatus[]> {
    if (ids.length === 0) return [];
    const distinct = distinctIds(ids);
    const keys = distinct.map((id) => this.key(group, id));
    const codes = await this.guard(
      'claim',
      this.redis.rkDedupClaim(keys.length, ...keys, this.settings.claimTtlMs),
    );
    if (typeof codes !== 'string' || codes.length !== distinct.length)
      throw new DedupStoreUnavailableError('redis', 'claim', new Error(`unexpected reply ${String(codes)}`));
    const statuses = distinct.map((_, i) => STATUS_BY_CODE[codes[i]] ?? 'busy');
    return expandStatuses(ids, distinct, statuses);
  }

  async markDone(group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const keys = distinctIds(ids).map((id) => this.key(group, id));
    await this.guard('markDone', this.redis.rkDedupMarkDone(keys.length, ...keys, this.settings.retentionMs));
  }

  async release(group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const keys = distinctIds(ids).map((id) => this.key(group, id));
    await this.guard('release', this.redis.rkDedupRelease(keys.length, ...keys));
  }

  /**
   * From `CONFIG GET appendonly` and `CONFIG GET save`: AOF is `durable` (as durable as its appendfsync), RDB
   * snapshots alone `snapshots`, neither `none`. Managed Redis often withholds CONFIG: `unknown`.
   */
  async persistence(): Promise<DedupPersistence> {
    try {
      const [appendonly, save] = await Promise.all(
        ['appendonly', 'save'].map((name) => this.guard('persistence', this.redis.config('GET', name))),
      );
      const value = (reply: unknown): string | undefined =>
        Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
      if (value(appendonly) === undefined || value(save) === undefined) return 'unknown';
      if (value(appendonly) === 'yes') return 'durable';
      return value(save)?.trim() ? 'snapshots' : 'none';
    } catch {
      return 'unknown';
    }
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
