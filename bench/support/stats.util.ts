import { readFileSync } from 'node:fs';
import type { LatencySummary } from './protocol.interface';

/** p50/p99 of `values` (milliseconds); sorts a copy. Nearest-rank percentiles. */
export function summarize(values: ArrayLike<number>, length = values.length): LatencySummary | undefined {
  if (length === 0) return undefined;
  const sorted = Float64Array.from({ length }, (_, i) => values[i]).sort();
  const at = (q: number): number => sorted[Math.min(length - 1, Math.max(0, Math.ceil(q * length) - 1))];
  return { p50: at(0.5), p99: at(0.99), samples: length };
}

/** Peak resident set size (VmHWM) of a process, in bytes; 0 when /proc is unavailable. */
export function peakRss(pid: number | 'self' = 'self'): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtMs = (n: number | undefined): string =>
  n === undefined ? '-' : n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`;
export const fmtMiB = (bytes: number): string =>
  bytes > 0 ? `${Math.round(bytes / 1024 / 1024)} MiB` : 'n/a';
export const fmtRatio = (ours: number, theirs: number): string =>
  ours > 0 && theirs > 0 ? `${(ours / theirs).toFixed(2)}x` : '-';
export const fmtSec = (s: number): string => (s >= 10 ? `${s.toFixed(1)} s` : `${s.toFixed(2)} s`);
