import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { ClaimStatus, TransactionalDedupStore } from './dedup-store.interface';
import { distinctIds, expandStatuses } from './batch-ids.util';
import { DEDUP_DEFAULTS, type DedupTtls } from './dedup-settings.util';
import { DedupStoreUnavailableError } from './dedup-store-unavailable.error';
import { withTimeout } from './with-timeout.util';
import {
  claimSql,
  createTableSql,
  markDoneSql,
  quoteTableName,
  releaseSql,
  type ClaimRow,
} from './postgres-dedup.sql';

/** Settings of the Postgres store. */
export interface PostgresDedupStoreSettings extends DedupTtls {
  tableName: string;
  operationTimeoutMs: number;
}

type Query = (sql: string, parameters: unknown[]) => Promise<unknown>;

/** Postgres' SQLSTATE when `lock_timeout` ended a wait for a row lock. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Dedup store on Postgres through the user's TypeORM DataSource (pg or PGlite driver).
 * Table `(group_id, message_id, status, expires_at)`, created if missing by `init()`.
 *
 * Use `runInTransaction` for effectively-once effects: the claim row and the handler's writes commit together.
 * `close()` leaves the DataSource open: it belongs to the user.
 */
export class PostgresDedupStore implements TransactionalDedupStore {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: PostgresDedupStoreSettings,
  ) {
    this.table = quoteTableName(settings.tableName);
  }

  get claimTtlMs(): number {
    return this.settings.claimTtlMs;
  }

  /** Creates the table if missing. Safe to race with other processes doing the same. */
  async init(): Promise<void> {
    await this.guard('init', async () => {
      try {
        await this.dataSource.query(createTableSql(this.table));
      } catch (error) {
        // two processes creating the table at once: one loses with a unique violation on pg_type
        if ((error as { code?: string }).code !== '23505') throw error;
      }
    });
  }

  async claim(group: string, ids: readonly string[]): Promise<ClaimStatus[]> {
    if (ids.length === 0) return [];
    return this.guard('claim', () =>
      this.claimWith(
        (sql, p) => this.dataSource.query(sql, p),
        group,
        ids,
        'processing',
        this.settings.claimTtlMs,
      ),
    );
  }

  async markDone(group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.guard('markDone', () =>
      this.dataSource.query(markDoneSql(this.table), [group, distinctIds(ids), this.settings.retentionMs]),
    );
  }

  async release(group: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.guard('release', () =>
      this.dataSource.query(releaseSql(this.table), [group, distinctIds(ids)]),
    );
  }

  async ping(): Promise<void> {
    await this.guard('ping', () => this.dataSource.query('SELECT 1'));
  }

  async close(): Promise<void> {}

  async runInTransaction<T>(
    group: string,
    ids: readonly string[],
    fn: (manager: EntityManager, statuses: ClaimStatus[]) => Promise<T>,
  ): Promise<T> {
    const runner = await this.guard('begin', async () => {
      const r = this.dataSource.createQueryRunner();
      try {
        await r.connect();
        await r.startTransaction();
        return r;
      } catch (error) {
        await r.release().catch(() => undefined);
        throw error;
      }
    });
    try {
      const statuses = await this.guard('claim', () => this.claimInTransaction(runner, group, ids));
      const result = await fn(runner.manager, statuses);
      await this.guard('commit', () => runner.commitTransaction());
      return result;
    } catch (error) {
      await this.rollback(runner);
      throw error;
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  /**
   * The claim of a transactional chunk. Another consumer's transaction may hold a row lock on an id (a zombie
   * frozen mid-call): the claim waits for it at most `lockTimeoutMs`, enforced by the server (`lock_timeout`, so
   * the statement is cancelled there, not by a ROLLBACK queued behind it), and then reports the ids busy: the lane
   * waits, heartbeating, and tries again; it is never held past the group's session timeout.
   */
  private async claimInTransaction(runner: QueryRunner, group: string, ids: readonly string[]) {
    const query: Query = (sql, p) => runner.query(sql, p);
    await query(`SELECT set_config('lock_timeout', $1, true)`, [`${this.lockTimeoutMs()}ms`]);
    try {
      return await this.claimWith(query, group, ids, 'done', this.settings.retentionMs);
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return ids.map((): ClaimStatus => 'busy');
      throw error;
    } finally {
      await query(`SELECT set_config('lock_timeout', '0', true)`, []).catch(() => undefined);
    }
  }

  /** Below the client-side operation timeout, so the server gives up first. */
  private lockTimeoutMs(): number {
    return Math.max(1, Math.floor(this.settings.operationTimeoutMs / 2));
  }

  private async claimWith(
    query: Query,
    group: string,
    ids: readonly string[],
    status: string,
    ttlMs: number,
  ) {
    if (ids.length === 0) return [];
    const distinct = distinctIds(ids);
    const rows = (await query(claimSql(this.table), [group, distinct, status, ttlMs])) as ClaimRow[];
    const byId = new Map(rows.map((row) => [row.message_id, row]));
    const statuses = distinct.map((id): ClaimStatus => {
      const row = byId.get(id);
      if (row?.claimed) return 'claimed';
      return row?.existing === 'done' ? 'done' : 'busy';
    });
    return expandStatuses(ids, distinct, statuses);
  }

  private async rollback(runner: QueryRunner): Promise<void> {
    if (!runner.isTransactionActive) return;
    // a failed rollback (connection gone) also discards the transaction on the server
    await runner.rollbackTransaction().catch(() => undefined);
  }

  private async guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      const ms = this.settings.operationTimeoutMs;
      return await withTimeout(work(), ms, () => new Error(`timed out after ${ms} ms`));
    } catch (error) {
      throw new DedupStoreUnavailableError('postgres', operation, error);
    }
  }
}

/** Postgres store settings from the module's dedup options, defaults applied. */
export function postgresSettings(
  options: { tableName?: string },
  ttls: DedupTtls,
): PostgresDedupStoreSettings {
  return {
    ...ttls,
    tableName: options.tableName ?? DEDUP_DEFAULTS.tableName,
    operationTimeoutMs: DEDUP_DEFAULTS.operationTimeoutMs,
  };
}
