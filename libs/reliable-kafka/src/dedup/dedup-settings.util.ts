import { positiveInteger } from '../options/option-checks.util';
import type { DedupOptions } from '../interfaces/reliable-kafka-options.interface';

/** Every dedup default lives here (options may arrive with any field undefined). */
export const DEDUP_DEFAULTS = {
  /**
   * How long a claim protects an id. Must exceed the longest handler call (`callTimeoutMs`, 5 min by default), or
   * two consumers may both process it; twice that, so ids claimed ahead stay usable for a while.
   */
  claimTtlMs: 10 * 60_000,
  /** How long a "done" id is remembered: the window in which duplicates are recognised. */
  retentionMs: 7 * 24 * 60 * 60_000,
  keyPrefix: 'reliable-kafka:dedup',
  tableName: 'reliable_kafka_dedup',
  /** Upper bound on one store round trip; past it the call rejects with DedupStoreUnavailableError. */
  operationTimeoutMs: 5_000,
} as const;

/** Resolved TTL settings shared by every store. */
export interface DedupTtls {
  claimTtlMs: number;
  retentionMs: number;
}

/** Fills in the TTL defaults and rejects values that would make dedup unsafe. */
export function resolveDedupTtls(options: DedupOptions): DedupTtls {
  const given: { claimTtlMs?: number; retentionMs?: number } = options.store === 'none' ? {} : options;
  const ttls = {
    claimTtlMs: given.claimTtlMs ?? DEDUP_DEFAULTS.claimTtlMs,
    retentionMs: given.retentionMs ?? DEDUP_DEFAULTS.retentionMs,
  };
  for (const [name, value] of Object.entries(ttls)) positiveInteger(`dedup.${name}`, value);
  return ttls;
}
