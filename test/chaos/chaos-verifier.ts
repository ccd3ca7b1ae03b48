import type { Pool } from 'pg';
import type { LedgerTables } from './chaos-ledger';

/** What the ledger says about one run (model: Kafka's VerifiableConsumer + the bounce tests' checks). */
export interface ChaosVerdict {
  produced: number;
  acked: number;
  effectRows: number;
  distinctEffects: number;
  /** Acked, no effect and not dead-lettered. */
  lost: number;
  lostSample: string[];
  /** Message ids with more than one effect row. */
  duplicated: number;
  duplicatedSample: string[];
  /** Per key, first effects in insertion order whose seq is not above the previous one's (duplicates excluded). */
  orderViolations: number;
  orderSample: string[];
  deadLettered: number;
  /** Handler attempts beyond the first, per message, summed (failed, rolled back and killed attempts). */
  redeliveries: number;
  /** Effects of messages the producer never saw acked (written but the ack was lost, then resent). */
  effectsNotAcked: number;
  /** Partitions whose effects were written by more than one consumer process: each one moved in a rebalance. */
  partitionsMoved: number;
  consumersWithEffects: number;
}

const one = async (pool: Pool, sql: string): Promise<number> => Number((await pool.query(sql)).rows[0].n);
const sample = async (pool: Pool, sql: string): Promise<string[]> =>
  (await pool.query(sql)).rows.map((r: { s: string }) => r.s);

/** Reads the ledger tables and computes the verdict. `deadLettered` ids are excluded from "lost". */
export async function verifyLedger(
  pool: Pool,
  t: LedgerTables,
  produced: number,
  deadLettered: readonly string[] = [],
): Promise<ChaosVerdict> {
  await pool.query('CREATE TEMP TABLE IF NOT EXISTS chaos_dlt (message_id text PRIMARY KEY)');
  await pool.query('TRUNCATE chaos_dlt');
  await pool.query('INSERT INTO chaos_dlt SELECT DISTINCT unnest($1::text[])', [deadLettered]);
  const lostWhere = `FROM ${t.acked} a WHERE NOT EXISTS (SELECT 1 FROM ${t.effects} e WHERE e.message_id = a.message_id)
      AND NOT EXISTS (SELECT 1 FROM chaos_dlt d WHERE d.message_id = a.message_id)`;
  const dupes = `SELECT message_id, count(*) AS c FROM ${t.effects} GROUP BY message_id HAVING count(*) > 1`;
  // Each message's first effect (a duplicate is counted above, not here), per key in insertion order.
  const firsts = `SELECT DISTINCT ON (message_id) id, key, seq FROM ${t.effects} ORDER BY message_id, id`;
  const order = `SELECT key, seq, prev FROM (SELECT key, seq, lag(seq) OVER (PARTITION BY key ORDER BY id) AS prev
      FROM (${firsts}) f) x WHERE prev IS NOT NULL AND seq <= prev`;
  const attempts = `SELECT count(*) - count(DISTINCT message_id) AS n FROM ${t.attempts}`;
  return {
    produced,
    acked: await one(pool, `SELECT count(*) AS n FROM ${t.acked}`),
    effectRows: await one(pool, `SELECT count(*) AS n FROM ${t.effects}`),
    distinctEffects: await one(pool, `SELECT count(DISTINCT message_id) AS n FROM ${t.effects}`),
    lost: await one(pool, `SELECT count(*) AS n ${lostWhere}`),
    lostSample: await sample(pool, `SELECT a.message_id AS s ${lostWhere} ORDER BY 1 LIMIT 5`),
    duplicated: await one(pool, `SELECT count(*) AS n FROM (${dupes}) d`),
    duplicatedSample: await sample(pool, `SELECT message_id || ' x' || c AS s FROM (${dupes}) d LIMIT 5`),
    orderViolations: await one(pool, `SELECT count(*) AS n FROM (${order}) o`),
    orderSample: await sample(
      pool,
      `SELECT key || ': seq ' || seq || ' after ' || prev AS s FROM (${order}) o LIMIT 5`,
    ),
    deadLettered: deadLettered.length,
    redeliveries: await one(pool, attempts),
    effectsNotAcked: await one(
      pool,
      `SELECT count(DISTINCT message_id) AS n FROM ${t.effects} e
       WHERE NOT EXISTS (SELECT 1 FROM ${t.acked} a WHERE a.message_id = e.message_id)`,
    ),
    partitionsMoved: await one(
      pool,
      `SELECT count(*) AS n FROM (SELECT kafka_partition FROM ${t.effects} GROUP BY kafka_partition
       HAVING count(DISTINCT consumer_pid) > 1) p`,
    ),
    consumersWithEffects: await one(pool, `SELECT count(DISTINCT consumer_pid) AS n FROM ${t.effects}`),
  };
}

/**
 * Whether a kill interrupted a batch before it committed: the killed process recorded an attempt for the batch's
 * first message but its effect row from that process never committed (rolled back with the process's transaction).
 */
export async function killInterruptedBatch(
  pool: Pool,
  t: LedgerTables,
  pid: number,
  messageId: string | undefined,
): Promise<boolean> {
  if (!messageId) return false;
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM ${t.attempts} WHERE consumer_pid = $1 AND message_id = $2) AS attempts,
            (SELECT count(*) FROM ${t.effects} WHERE consumer_pid = $1 AND message_id = $2) AS effects`,
    [pid, messageId],
  );
  return Number(rows[0].attempts) > 0 && Number(rows[0].effects) === 0;
}

/** The verdict as a two-column text table. */
export function renderVerdict(
  v: ChaosVerdict,
  header: string[],
  extra: Array<[string, string]> = [],
): string {
  const rows: Array<[string, string]> = [
    ['messages produced (sent)', `${v.produced}`],
    ['messages acked', `${v.acked}`],
    ['effects in the ledger (rows)', `${v.effectRows}`],
    ['distinct messages with an effect', `${v.distinctEffects}`],
    [
      'LOST (acked, no effect, not in DLT)',
      `${v.lost}${v.lostSample.length ? `  e.g. ${v.lostSample.join(', ')}` : ''}`,
    ],
    [
      'DUPLICATED effects (ids with > 1 row)',
      `${v.duplicated}${v.duplicatedSample.length ? `  e.g. ${v.duplicatedSample.join(', ')}` : ''}`,
    ],
    [
      'per-key ORDER violations',
      `${v.orderViolations}${v.orderSample.length ? `  e.g. ${v.orderSample.join('; ')}` : ''}`,
    ],
    ['dead-lettered (records in <topic>.dlt)', `${v.deadLettered}`],
    ['redeliveries (handler attempts beyond the first)', `${v.redeliveries}`],
    ['effects of messages never acked', `${v.effectsNotAcked}`],
    ['partitions moved between consumers', `${v.partitionsMoved}`],
    ['consumer processes that wrote effects', `${v.consumersWithEffects}`],
    ...extra,
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const line = '-'.repeat(width + 20);
  return [...header, line, ...rows.map(([k, val]) => `${k.padEnd(width)} | ${val}`), line].join('\n');
}
