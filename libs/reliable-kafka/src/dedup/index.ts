export * from './dedup-store.interface';
export { createDedupStore } from './create-dedup-store.util';
export { DedupStoreUnavailableError } from './dedup-store-unavailable.error';
export { DEDUP_DEFAULTS, resolveDedupTtls, type DedupTtls } from './dedup-settings.util';
export { MemoryDedupStore } from './memory-dedup.store';
export { NoopDedupStore } from './noop-dedup.store';
export { PostgresDedupStore, type PostgresDedupStoreSettings } from './postgres-dedup.store';
export { RedisDedupStore, type RedisDedupStoreSettings } from './redis-dedup.store';
