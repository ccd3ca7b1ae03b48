/** Prints rows as an aligned plain-text table (first row is the header). */
export function printTable(title: string, rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

/** The same rows as a GitHub markdown table (first row is the header; numeric-looking columns right-aligned). */
export function markdownTable(rows: string[][]): string {
  const esc = (cell: string): string => (cell ?? '').replace(/\|/g, '\\|');
  const numeric = rows[0].map((_, c) => c > 0 && rows.slice(1).some((r) => /^[\d.,]+/.test(r[c] ?? '')));
  const line = (r: string[]): string => `| ${r.map(esc).join(' | ')} |`;
  return [
    line(rows[0]),
    `|${numeric.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}
