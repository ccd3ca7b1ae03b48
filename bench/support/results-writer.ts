import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioReport } from './report.interface';
import { markdownTable } from './table';

/** Facts about the run printed above the tables and stored with the results. */
export interface RunMeta {
  startedAt: string;
  durationSeconds: number;
  node: string;
  cpus: number;
  cpuModel: string;
  scale: number;
  brokers: string;
  brokerPeakRss?: string;
  /** 1-minute load average at start and end: other work on the machine skews every number. */
  loadAverage: [number, number];
  command: string;
}

const DIR = join(__dirname, '..', 'results');

export function renderMarkdown(meta: RunMeta, reports: ScenarioReport[]): string {
  const head = [
    '# Benchmark results',
    '',
    `${meta.startedAt}, ${meta.durationSeconds.toFixed(0)} s, \`${meta.command}\``,
    '',
    `Node ${meta.node}, ${meta.cpus} x ${meta.cpuModel}; BENCH_SCALE=${meta.scale}; broker: ${meta.brokers}${meta.brokerPeakRss ? ` (single broker's peak RSS ${meta.brokerPeakRss})` : ''}.`,
    `Every contender runs in its own Node process; broker, contender and the runner share the same machine (1-min load average ${meta.loadAverage[0].toFixed(1)} at start, ${meta.loadAverage[1].toFixed(1)} at the end).`,
  ];
  const body = reports.flatMap((r) => [
    '',
    `## ${r.title}`,
    '',
    markdownTable(r.table),
    '',
    ...r.notes.map((n) => `- ${n}`),
  ]);
  return [...head, ...body, ''].join('\n');
}

/** Writes bench/results/<timestamp>.json, latest.json and latest.md; reference.* too when asked. Returns the paths. */
export function writeResults(meta: RunMeta, reports: ScenarioReport[], reference: boolean): string[] {
  mkdirSync(DIR, { recursive: true });
  const json = JSON.stringify({ meta, scenarios: reports }, null, 2);
  const md = renderMarkdown(meta, reports);
  const stamp = meta.startedAt.replace(/[:.]/g, '-');
  const files: [string, string][] = [
    [`${stamp}.json`, json],
    ['latest.json', json],
    ['latest.md', md],
  ];
  if (reference) files.push(['reference.json', json], ['reference.md', md]);
  return files.map(([name, content]) => {
    const path = join(DIR, name);
    writeFileSync(path, content);
    return path;
  });
}
