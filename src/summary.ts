import type { DataSource } from 'typeorm';
import type { DemoStats } from './demo-stats.service';

/** The outcome of a run. `lost` and `duplicatedEffects` must both be 0. */
export interface OrdersSummary {
  produced: number;
  acked: number;
  /** Rows written by the handler (committed). */
  processed: number;
  /** Acknowledged records that wrote no row because their id was already done. */
  duplicatesSuppressed: number;
  /** Deliberate handler failures; each batch was retried. */
  failuresRetried: number;
  /** Acknowledged orders with no row. */
  lost: number;
  /** Orders with more than one row. */
  duplicatedEffects: number;
}

export async function collectSummary(
  dataSource: DataSource,
  stats: DemoStats,
  runId: string,
): Promise<OrdersSummary> {
  const rows: Array<{ order_id: string; n: string | number }> = await dataSource.query(
    'SELECT order_id, count(*) AS n FROM orders WHERE run_id = $1 GROUP BY order_id',
    [runId],
  );
  const counts = new Map(rows.map((r) => [r.order_id, Number(r.n)]));
  const processed = [...counts.values()].reduce((a, b) => a + b, 0);
  return {
    produced: stats.produced,
    acked: stats.acked,
    processed,
    duplicatesSuppressed: Math.max(0, stats.acked - processed),
    failuresRetried: stats.failuresInjected,
    lost: [...stats.ackedOrderIds].filter((id) => !counts.has(id)).length,
    duplicatedEffects: [...counts.values()].filter((n) => n > 1).length,
  };
}

/** True when every acknowledged order is in the table (the consumer caught up). */
export async function allAckedOrdersStored(
  dataSource: DataSource,
  stats: DemoStats,
  runId: string,
): Promise<boolean> {
  const [{ n }] = await dataSource.query(
    'SELECT count(DISTINCT order_id) AS n FROM orders WHERE run_id = $1',
    [runId],
  );
  return Number(n) >= stats.ackedOrderIds.size;
}

const LABELS: Record<keyof OrdersSummary, string> = {
  produced: 'produced (send calls)',
  acked: 'acked by the broker',
  processed: 'processed (rows written)',
  duplicatesSuppressed: 'duplicates suppressed',
  failuresRetried: 'failures (retried)',
  lost: 'lost (acked, no row)',
  duplicatedEffects: 'duplicated effects (rows > 1)',
};

export function formatSummary(summary: OrdersSummary): string {
  const width = Math.max(...Object.values(LABELS).map((l) => l.length));
  const lines = (Object.keys(LABELS) as Array<keyof OrdersSummary>).map(
    (key) => `| ${LABELS[key].padEnd(width)} | ${String(summary[key]).padStart(6)} |`,
  );
  const rule = `+${'-'.repeat(width + 2)}+--------+`;
  const verdict = isClean(summary)
    ? 'OK: nothing lost, nothing applied twice'
    : 'FAILED: lost or duplicated effects';
  return [rule, ...lines, rule, verdict].join('\n');
}

export function isClean(summary: OrdersSummary): boolean {
  return summary.lost === 0 && summary.duplicatedEffects === 0;
}
