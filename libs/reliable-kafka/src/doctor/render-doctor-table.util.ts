import type { DoctorFinding } from './doctor-finding.interface';

const COLUMNS: ReadonlyArray<{ title: string; value: (f: DoctorFinding) => string; max: number }> = [
  { title: 'SEVERITY', value: (f) => f.severity, max: 8 },
  { title: 'TOPIC', value: (f) => f.topic ?? '-', max: 48 },
  { title: 'SETTING', value: (f) => f.setting, max: 40 },
  { title: 'ACTUAL', value: (f) => f.actual, max: 24 },
  { title: 'RECOMMENDED', value: (f) => f.recommended, max: 40 },
  { title: 'REASON / FIX', value: (f) => `${f.reason}. Fix: ${f.fix}`, max: Number.MAX_SAFE_INTEGER },
];

function cell(text: string, width: number): string {
  const clipped = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return clipped.padEnd(width);
}

/** Findings as a plain-text table, one finding a line, followed by a summary line. */
export function renderDoctorTable(findings: readonly DoctorFinding[]): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  const summary = `${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info(s)`;
  if (findings.length === 0) return `No findings: the checked topics and settings look safe.\n${summary}\n`;
  const widths = COLUMNS.map((c) =>
    Math.min(c.max, Math.max(c.title.length, ...findings.map((f) => c.value(f).length))),
  );
  const line = (values: string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : cell(v, widths[i])))
      .join('  ')
      .trimEnd();
  const rows = [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(Math.min(w, 20))))];
  for (const f of findings) rows.push(line(COLUMNS.map((c) => c.value(f))));
  return `${rows.join('\n')}\n${summary}\n`;
}
