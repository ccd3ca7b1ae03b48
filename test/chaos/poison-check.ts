import type { Pool } from 'pg';
import type { LedgerTables } from './chaos-ledger';
import { isPoison } from './poison-message.error';

/** How the permanent failures ended: every acked poison message in the DLT, nothing else there, no effect. */
export interface PoisonCheck {
  poisonAcked: number;
  /** Poison messages missing from the DLT (the partition would be stuck, or the message skipped). */
  notDeadLettered: string[];
  /** DLT records that are not poison messages (a transient failure was dead-lettered). */
  unexpectedDeadLetters: string[];
  /** Poison messages with an effect row (a failed attempt's writes survived). */
  withEffect: number;
}

export async function checkPoison(
  pool: Pool,
  t: LedgerTables,
  deadLetterIds: string[],
): Promise<PoisonCheck> {
  const { rows } = await pool.query<{ message_id: string; key: string; seq: number }>(
    `SELECT message_id, key, seq FROM ${t.acked}`,
  );
  const poison = rows.filter((r) => isPoison(r.key, r.seq)).map((r) => r.message_id);
  const poisonSet = new Set(poison);
  const dead = new Set(deadLetterIds);
  const effects = await pool.query(
    `SELECT count(*) AS n FROM ${t.effects} WHERE message_id = ANY($1::text[])`,
    [poison],
  );
  return {
    poisonAcked: poison.length,
    notDeadLettered: poison.filter((id) => !dead.has(id)),
    unexpectedDeadLetters: [...dead].filter((id) => !poisonSet.has(id)),
    withEffect: Number(effects.rows[0].n),
  };
}

/** Rows for the verdict table. */
export function poisonRows(p: PoisonCheck): Array<[string, string]> {
  return [
    ['poison messages acked (all must be dead-lettered)', `${p.poisonAcked}`],
    ['poison messages NOT dead-lettered', `${p.notDeadLettered.length}`],
    ['dead letters that are not poison', `${p.unexpectedDeadLetters.length}`],
    ['poison messages with an effect', `${p.withEffect}`],
  ];
}
