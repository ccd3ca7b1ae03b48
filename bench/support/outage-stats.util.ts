import type { OutageSends } from './protocol.interface';
import { summarize } from './stats.util';

/** Latency of the sends due in one phase of the run; percentiles over resolved sends only. */
export interface PhaseStats {
  issued: number;
  resolved: number;
  p50?: number;
  p99?: number;
}

export interface OutageStats {
  before: PhaseStats;
  during: PhaseStats;
  after: PhaseStats;
  /** Median latency of the sends due before the fault (failed ones counted as infinitely slow). */
  preFaultMedian: number | undefined;
  /**
   * Whole seconds k after the fault ended such that the sends due in [k, k+1) s after it were the first second
   * whose median is under 2x the pre-fault median; undefined when no second of the run got there.
   */
  recoverySecond: number | undefined;
  /** Median latency per second of the run (by due time; null when most sends of that second failed or are pending). */
  perSecondMedian: (number | null)[];
}

/** Median of `values`, where Infinity stands for a send that failed or never settled. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1];
}

/**
 * Splits the sends of scenario 5 by when they were due (before / during / after the fault) and finds how long after
 * the fault ended the per-second median latency got back under 2x what it was before the fault.
 */
export function outageStats(
  sends: OutageSends,
  rate: number,
  fault: { startedAt: number; endedAt: number },
): OutageStats {
  const n = sends.status.length;
  const dueAt = (i: number): number => sends.startedAt + (i * 1000) / rate;
  // A failed or pending send is infinitely slow for the medians that decide recovery.
  const cost = (i: number): number => (sends.status[i] === 'ok' ? sends.latencyMs[i] : Infinity);
  const phase = (from: number, to: number): PhaseStats => {
    const resolved: number[] = [];
    let issued = 0;
    for (let i = 0; i < n; i++) {
      const t = dueAt(i);
      if (t < from || t >= to) continue;
      issued++;
      if (sends.status[i] === 'ok') resolved.push(sends.latencyMs[i]);
    }
    const s = summarize(resolved);
    return { issued, resolved: resolved.length, p50: s?.p50, p99: s?.p99 };
  };
  const window = (from: number, to: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (dueAt(i) >= from && dueAt(i) < to) out.push(cost(i));
    return out;
  };
  const pre = window(-Infinity, fault.startedAt);
  const preFaultMedian = pre.length ? median(pre) : undefined;
  const runEnd = dueAt(n);
  let recoverySecond: number | undefined;
  if (preFaultMedian !== undefined && Number.isFinite(preFaultMedian)) {
    for (let k = 0; fault.endedAt + (k + 1) * 1000 <= runEnd; k++) {
      const w = window(fault.endedAt + k * 1000, fault.endedAt + (k + 1) * 1000);
      if (w.length && median(w) < 2 * preFaultMedian) {
        recoverySecond = k;
        break;
      }
    }
  }
  const perSecondMedian: (number | null)[] = [];
  for (let s = 0; sends.startedAt + s * 1000 < runEnd; s++) {
    const w = window(sends.startedAt + s * 1000, sends.startedAt + (s + 1) * 1000);
    const m = w.length ? median(w) : Infinity;
    perSecondMedian.push(Number.isFinite(m) ? Math.round(m * 10) / 10 : null);
  }
  return {
    before: phase(-Infinity, fault.startedAt),
    during: phase(fault.startedAt, fault.endedAt),
    after: phase(fault.endedAt, Infinity),
    preFaultMedian,
    recoverySecond,
    perSecondMedian,
  };
}

/** What the log holds compared with what the sends said. */
export interface LogCheck {
  /** Records in the topic. */
  records: number;
  /** Sends that resolved whose message is not in the log (must be 0). */
  resolvedMissing: number;
  /** Records beyond the first of each id: copies written by retries. */
  duplicates: number;
  /** Rejected sends whose message is in the log anyway, by kind of rejection (for `not-written` it must be 0). */
  rejectedInLog: Record<string, number>;
  /** Sends still pending at the end whose message is in the log. */
  pendingInLog: number;
}

export function checkLog(sends: OutageSends, log: { ids: Map<string, number>; records: number }): LogCheck {
  const check: LogCheck = {
    records: log.records,
    resolvedMissing: 0,
    duplicates: 0,
    rejectedInLog: {},
    pendingInLog: 0,
  };
  for (const count of log.ids.values()) if (count > 1) check.duplicates += count - 1;
  sends.status.forEach((status, i) => {
    const inLog = (log.ids.get(sends.ids[i]) ?? 0) > 0;
    if (status === 'ok') check.resolvedMissing += inLog ? 0 : 1;
    else if (status === 'pending') check.pendingInLog += inLog ? 1 : 0;
    else if (inLog) check.rejectedInLog[status] = (check.rejectedInLog[status] ?? 0) + 1;
  });
  return check;
}
