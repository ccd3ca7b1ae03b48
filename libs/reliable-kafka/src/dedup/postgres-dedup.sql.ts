/**
 * SQL of the Postgres dedup store. Each operation is ONE statement for the whole batch
 * ($1 = group, $2 = text[] of distinct ids, $3 = status to write, $4 = ttl in ms).
 */

import { fail } from '../options/option-checks.util';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** Quotes `schema.table` / `table`; rejects anything else so the name cannot inject SQL. */
export function quoteTableName(name: string): string {
  if (!IDENTIFIER.test(name)) {
    fail('dedup.tableName', {
      problem: `'${name}' is not a plain [schema.]table identifier`,
      fix: 'use letters, digits and _ only, optionally prefixed by a schema and a dot',
    });
  }
  return name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

export function createTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
    group_id   text        NOT NULL,
    message_id text        NOT NULL,
    status     text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, message_id))`;
}

/**
 * Inserts a row per id, or takes over a row whose claim or retention has expired.
 * `claimed` tells whether this statement wrote the row; `existing` is the row's status as of the statement's
 * snapshot ('done' = duplicate, 'processing' = another consumer's claim, null = inserted concurrently -> busy).
 * In transactional mode the row is written as 'done' straight away: it only becomes visible if the
 * handler's transaction commits, and a concurrent claimer blocks on it until then.
 */
export function claimSql(table: string): string {
  return `WITH input AS (SELECT DISTINCT unnest($2::text[]) AS message_id),
  claimed AS (
    INSERT INTO ${table} AS d (group_id, message_id, status, expires_at)
    SELECT $1, message_id, $3, now() + $4::double precision * interval '1 millisecond' FROM input
    ORDER BY message_id -- rows are locked in one global order, so concurrent batches cannot deadlock
    ON CONFLICT (group_id, message_id) DO UPDATE
      SET status = EXCLUDED.status, expires_at = EXCLUDED.expires_at
      WHERE d.expires_at <= now()
    RETURNING d.message_id)
  SELECT i.message_id, (c.message_id IS NOT NULL) AS claimed, e.status AS existing
  FROM input i
  LEFT JOIN claimed c ON c.message_id = i.message_id
  LEFT JOIN ${table} e ON e.group_id = $1 AND e.message_id = i.message_id AND e.expires_at > now()`;
}

export function markDoneSql(table: string): string {
  return `INSERT INTO ${table} (group_id, message_id, status, expires_at)
  SELECT $1, id, 'done', now() + $3::double precision * interval '1 millisecond'
  FROM unnest($2::text[]) AS id ORDER BY id
  ON CONFLICT (group_id, message_id) DO UPDATE SET status = 'done', expires_at = EXCLUDED.expires_at`;
}

/** Only claims are released: a 'done' row must survive a late release. */
export function releaseSql(table: string): string {
  return `DELETE FROM ${table} WHERE group_id = $1 AND message_id = ANY($2::text[]) AND status = 'processing'`;
}

/** One row of `claimSql`'s result. */
export interface ClaimRow {
  message_id: string;
  claimed: boolean;
  existing: string | null;
}
