import type { EntityManager } from 'typeorm';

/**
 * Result of claiming one message id.
 * - `claimed`: this consumer owns the id now and must process it, then `markDone` or `release`.
 * - `done`: already processed successfully (a duplicate): the caller may skip it.
 * - `busy`: claimed by another live consumer: the caller must NOT skip it; retry later.
 */
export type ClaimStatus = 'claimed' | 'done' | 'busy';

/**
 * Remembers which message ids a consumer group has processed (DESIGN §4).
 * Every method takes a whole batch so that a store can answer in one round trip.
 * Methods reject with `DedupStoreUnavailableError` within a bounded time when the store is unreachable.
 */
export interface DedupStore {
  /**
   * How long a claim protects an id, when the store knows it. Consumers that claim ahead (several chunks in one
   * round trip) use it to never rely on a claim older than half of it; without it they claim chunk by chunk.
   */
  readonly claimTtlMs?: number;
  /** Claims every id for `group`; statuses are returned in the order of `ids`. One round trip per batch. */
  claim(group: string, ids: readonly string[]): Promise<ClaimStatus[]>;
  /** Marks ids processed; call only after the handler succeeded. */
  markDone(group: string, ids: readonly string[]): Promise<void>;
  /** Gives up claims (handler failed) so the ids can be claimed again at once. */
  release(group: string, ids: readonly string[]): Promise<void>;
  /**
   * What survives a restart of the store's server, for the doctor: `durable` (every write), `snapshots` (writes up
   * to the last snapshot), `none`, or `unknown` (the server does not tell). Absent: the store cannot say.
   */
  persistence?(): Promise<DedupPersistence>;
  /** Resolves when the store answers; rejects with `DedupStoreUnavailableError` otherwise. */
  ping(): Promise<void>;
  /** Closes connections the store opened itself (never a user-supplied DataSource). */
  close(): Promise<void>;
}

/**
 * A store whose claim can share a database transaction with the handler's own writes,
 * so the effect and the "done" row commit (or roll back) together.
 */
export interface TransactionalDedupStore extends DedupStore {
  /**
   * Opens a transaction, claims `ids` in it and calls `fn` with the transaction's EntityManager and the statuses.
   * When `fn` resolves, every `claimed` id is marked done and the transaction commits.
   * When `fn` throws, everything rolls back (the claims too), so the ids are claimable again.
   */
  runInTransaction<T>(
    group: string,
    ids: readonly string[],
    fn: (manager: EntityManager, statuses: ClaimStatus[]) => Promise<T>,
  ): Promise<T>;
}

/** What of a dedup store's state survives a restart of its server. */
export type DedupPersistence = 'durable' | 'snapshots' | 'none' | 'unknown';

/** Injection token of the module's DedupStore. */
export const DEDUP_STORE = Symbol('DEDUP_STORE');

/** True when `store` supports `runInTransaction`. */
export function isTransactionalDedupStore(store: DedupStore): store is TransactionalDedupStore {
  return typeof (store as Partial<TransactionalDedupStore>).runInTransaction === 'function';
}
