import { readFileSync } from 'node:fs';
import { printTable } from './support/table';

/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: where a contender's CPU time went (profiles from
 * `BENCH_CPU_PROF=<dir> npm run bench`). Self time per function and per package / library folder.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string): string {
  if (!url) return '(native / idle / gc)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const lib = /\/(libs\/[^/]+\/src\/[^/]+)/.exec(url);
  if (lib) return lib[1];
  if (url.startsWith('node:')) return 'node internals';
  const bench = /\/(bench\/[^/]+)/.exec(url);
  return bench ? bench[1] : url;
}

function main(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|libs|bench)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
    areas.set(area(url), (areas.get(area(url)) ?? 0) + us);
  }
  const rows = (m: Map<string, number>): string[][] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, `${(us / 1000).toFixed(0)} ms`, `${((us / total) * 100).toFixed(1)}%`]);
  printTable(`Self time by area (${(total / 1e6).toFixed(2)} s sampled)`, [
    ['area', 'self', '%'],
    ...rows(areas),
  ]);
  printTable('Self time by function', [['function', 'self', '%'], ...rows(fns)]);
}

main(process.argv[2], Number(process.argv[3] ?? 25));
