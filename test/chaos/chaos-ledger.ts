/**
 * The Postgres ledger of one chaos run. Every table name starts with the run's prefix so runs never interfere.
 * `effects` deliberately has no unique constraint: an effect applied twice must show up as two rows.
 */
export interface LedgerTables {
  /** Ids the producer saw acknowledged, written only after the ack. */
  acked: string;
  /** One row per message effect, written in the handler's dedup transaction. */
  effects: string;
  /** One row per message per handler attempt, written outside the transaction (survives rollbacks). */
  attempts: string;
  /** The library's Postgres dedup table. */
  dedup: string;
}

/** Table names for a run prefix (a safe SQL identifier, see `uniqueSqlName`). */
export function ledgerTables(prefix: string): LedgerTables {
  return {
    acked: `${prefix}_acked`,
    effects: `${prefix}_effects`,
    attempts: `${prefix}_attempts`,
    dedup: `${prefix}_dedup`,
  };
}

/** DDL of the tables the harness owns (the dedup table is created by the library). */
export function createLedgerSql(t: LedgerTables): string[] {
  return [
    `CREATE TABLE ${t.acked} (message_id text PRIMARY KEY, key text NOT NULL, seq int NOT NULL,
       kafka_partition int NOT NULL, kafka_offset bigint NOT NULL, acked_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE ${t.effects} (id bigserial PRIMARY KEY, message_id text NOT NULL, key text NOT NULL,
       seq int NOT NULL, kafka_partition int NOT NULL, kafka_offset bigint NOT NULL, consumer_pid int NOT NULL,
       created_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    `CREATE INDEX ON ${t.effects} (message_id)`,
    `CREATE TABLE ${t.attempts} (id bigserial PRIMARY KEY, message_id text NOT NULL, consumer_pid int NOT NULL,
       created_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
  ];
}

export function dropLedgerSql(t: LedgerTables): string {
  return `DROP TABLE IF EXISTS ${t.acked}, ${t.effects}, ${t.attempts}, ${t.dedup}`;
}

/** The value each chaos message carries. */
export interface ChaosPayload {
  key: string;
  /** Per-key sequence number: the producer sends seq n+1 of a key only after seq n was acknowledged. */
  seq: number;
}

/** Environment the harness hands to the producer and consumer processes. */
export const CHAOS_ENV = {
  brokers: 'CHAOS_BROKERS',
  topic: 'CHAOS_TOPIC',
  groupId: 'CHAOS_GROUP',
  prefix: 'CHAOS_PREFIX',
  messages: 'CHAOS_MESSAGES',
  keys: 'CHAOS_KEYS',
  ratePerSec: 'CHAOS_RATE',
  failRate: 'CHAOS_FAIL_RATE',
  handlerDelayMs: 'CHAOS_HANDLER_DELAY_MS',
  runId: 'CHAOS_RUN_ID',
  /** `postgres` (transactional dedup, the default) or `redis` (effects in their own transaction). */
  dedup: 'CHAOS_DEDUP',
  redisUrl: 'CHAOS_REDIS_URL',
  /** The handler's `ordering` (`partition`, the default, or `key` / `unordered`). */
  ordering: 'CHAOS_ORDERING',
  /** The handler's `concurrency` (default 1). */
  concurrency: 'CHAOS_CONCURRENCY',
} as const;

/** Reads a variable the harness must have set. */
export function chaosEnv(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set (this process is started by test/chaos/chaos.e2e-spec.ts)`);
  return value;
}
