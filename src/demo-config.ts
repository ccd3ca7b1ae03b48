import { randomUUID } from 'crypto';

/** What one demo run does; read once from the environment. */
export interface DemoConfig {
  /** Tags rows and ids of this run, so runs against a shared database or cluster do not mix. */
  runId: string;
  /** Orders placed (ORDERS, default 60). */
  orderCount: number;
  /** Every n-th order is sent twice with the same message id (DUPLICATE_EVERY, default 5). */
  duplicateEvery: number;
  /** Every n-th order makes the handler throw the first time it sees it (FAIL_EVERY, default 7). */
  failEvery: number;
  topic: string;
  groupId: string;
  /** How long to wait for every acknowledged order to show up in the table (ms). */
  settleTimeoutMs: number;
}

export function readDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  return {
    runId: randomUUID().slice(0, 8),
    orderCount: positive(env.ORDERS, 60),
    duplicateEvery: positive(env.DUPLICATE_EVERY, 5),
    failEvery: positive(env.FAIL_EVERY, 7),
    topic: env.ORDERS_TOPIC?.trim() || 'orders',
    groupId: env.ORDERS_GROUP?.trim() || 'billing',
    settleTimeoutMs: positive(env.SETTLE_TIMEOUT_MS, 60_000),
  };
}

function positive(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`expected a positive integer, got '${raw}'`);
  return value;
}
