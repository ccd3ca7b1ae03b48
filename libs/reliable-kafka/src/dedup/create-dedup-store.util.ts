import type { DedupOptions } from '../interfaces/reliable-kafka-options.interface';
import type { DedupStore } from './dedup-store.interface';
import { resolveDedupTtls } from './dedup-settings.util';
import { MemoryDedupStore } from './memory-dedup.store';
import { NoopDedupStore } from './noop-dedup.store';
import { PostgresDedupStore, postgresSettings } from './postgres-dedup.store';
import { RedisDedupStore, redisSettings } from './redis-dedup.store';

/**
 * Builds and initialises the store named by `options` (defaults applied here, once).
 * Redis connects and Postgres creates its table before this resolves; either rejects with
 * DedupStoreUnavailableError when the server cannot be reached, so a bad URL fails at startup.
 * `{ store: 'none' }` gives a store that claims everything and remembers nothing.
 */
export async function createDedupStore(options: DedupOptions = { store: 'none' }): Promise<DedupStore> {
  const ttls = resolveDedupTtls(options);
  switch (options.store) {
    case 'redis':
      return RedisDedupStore.connect(redisSettings(options, ttls));
    case 'postgres': {
      const store = new PostgresDedupStore(options.dataSource, postgresSettings(options, ttls));
      await store.init();
      return store;
    }
    case 'memory':
      return new MemoryDedupStore(ttls);
    case 'none':
      return new NoopDedupStore();
  }
}
