import type { PhaseStats } from '../support/outage-stats.util';
import { fmtInt, fmtMiB, fmtMs } from '../support/stats.util';
import type { OutageRun } from './outage.scenario';

export const OUTAGE_HEADER = [
  'fault',
  'contender',
  'issued',
  'resolved',
  'rejected',
  'pending',
  'p50 / p99 before',
  'p50 / p99 during',
  'p50 / p99 after',
  'recovery',
  'CPU/send',
  'peak RSS',
  'resolved, missing',
  'rejected, in log',
  'duplicates',
];

const fmtPhase = (p: PhaseStats | undefined): string =>
  p?.p50 === undefined ? '-' : `${fmtMs(p.p50)} / ${fmtMs(p.p99)}`;

/** "12 (unknown 10, not-written 2)": a total with its breakdown by kind, largest first. */
function withKinds(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((n, [, c]) => n + c, 0);
  return total === 0 ? '0' : `${fmtInt(total)} (${entries.map(([k, c]) => `${k} ${fmtInt(c)}`).join(', ')})`;
}

/** One row of scenario 5's table. */
export function outageRow(run: OutageRun, label: string): string[] {
  const { outcome, stats, log } = run;
  if (!outcome.ok) return [run.kind, label, outcome.error, ...OUTAGE_HEADER.slice(3).map(() => '')];
  const { count, peakRssBytes, cpuMicros } = outcome.result;
  const settled = { resolved: 0, pending: 0, rejected: {} as Record<string, number> };
  for (const [status, n] of Object.entries(run.statusCounts ?? {})) {
    if (status === 'ok') settled.resolved = n;
    else if (status === 'pending') settled.pending = n;
    else settled.rejected[status] = n;
  }
  const recovery =
    stats === undefined
      ? '-'
      : stats.recoverySecond === undefined
        ? 'never'
        : `${stats.recoverySecond}-${stats.recoverySecond + 1} s`;
  return [
    run.kind,
    label,
    fmtInt(count),
    fmtInt(settled.resolved),
    withKinds(settled.rejected),
    fmtInt(settled.pending),
    fmtPhase(stats?.before),
    fmtPhase(stats?.during),
    fmtPhase(stats?.after),
    recovery,
    cpuMicros === undefined ? '-' : `${(cpuMicros / count).toFixed(0)} µs`,
    fmtMiB(peakRssBytes),
    log ? fmtInt(log.resolvedMissing) : '-',
    log ? withKinds(log.rejectedInLog) : '-',
    log ? fmtInt(log.duplicates) : '-',
  ];
}

/** "3 3 3 ... 15.1s 14.9s ...": per-second medians compact enough for one line ('x' = most sends failed). */
export function fmtTimeline(medians: (number | null)[]): string {
  return medians
    .map((m) =>
      m === null ? 'x' : m < 10 ? m.toFixed(1) : m < 1000 ? m.toFixed(0) : `${(m / 1000).toFixed(1)}s`,
    )
    .join(' ');
}
