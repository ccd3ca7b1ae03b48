import { OUTAGE_KINDS, type OutageKind } from './outage-fault.util';

/** Sizes and switches of `npm run bench`, read once from the environment (see bench/README.md). */
export interface BenchConfig {
  /** Multiplies every message count (BENCH_SCALE, default 1; 0.1 for a quick smoke run). */
  scale: number;
  /** Scenario numbers to run (BENCH_ONLY="1,3"; default all: 1-5). */
  only: Set<number>;
  /** Rounds of scenarios 1 and 3; each contender keeps its best round (BENCH_REPEAT, default 1). */
  repeat: number;
  /** Scenario 4 on (default) or off (BENCH_SCALING=0). */
  scaling: boolean;
  /** Rate of the paced live phase that measures end-to-end latency (BENCH_LATENCY_RATE, msgs/s, default 5000). */
  latencyRate: number;
  /** Write reference.md / reference.json too (`npm run bench -- --reference`). */
  reference: boolean;
  /** Contender ids to run (BENCH_CONTENDERS="ours,kafkajs-each-batch"; default all), for profiling one of them. */
  contenders: Set<string> | undefined;
  /** External cluster (KAFKA_BROKERS) instead of an embedded broker in its own process. */
  externalBrokers: string[] | undefined;
  /** Scenario 5's faults (BENCH_OUTAGE="hold", "kill2" or "hold,kill2"; default hold). */
  outages: OutageKind[];
  /** Scenario 5's offered load, sends/s (BENCH_OUTAGE_RATE, default 2000). */
  outageRate: number;
}

function readOutages(raw: string | undefined): OutageKind[] {
  const kinds = (raw ?? 'hold').split(',').map((s) => s.trim());
  const unknown = kinds.filter((k) => !(OUTAGE_KINDS as readonly string[]).includes(k));
  if (unknown.length || kinds.length === 0)
    throw new Error(`BENCH_OUTAGE must list ${OUTAGE_KINDS.join(' and/or ')}, got "${raw}"`);
  return OUTAGE_KINDS.filter((k) => kinds.includes(k));
}

export function readBenchConfig(argv: readonly string[] = process.argv.slice(2)): BenchConfig {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  if (!(scale > 0))
    throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
  const only = new Set(
    (process.env.BENCH_ONLY ?? '1,2,3,4,5')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => n >= 1 && n <= 5),
  );
  const latencyRate = Number(process.env.BENCH_LATENCY_RATE ?? 5000);
  const outageRate = Number(process.env.BENCH_OUTAGE_RATE ?? 2000);
  if (!(outageRate > 0))
    throw new Error(`BENCH_OUTAGE_RATE must be a positive number, got "${process.env.BENCH_OUTAGE_RATE}"`);
  return {
    scale,
    only,
    scaling: process.env.BENCH_SCALING !== '0',
    repeat: Math.max(1, Math.floor(Number(process.env.BENCH_REPEAT ?? 1)) || 1),
    latencyRate: latencyRate > 0 ? latencyRate : 5000,
    reference: argv.includes('--reference'),
    contenders: process.env.BENCH_CONTENDERS
      ? new Set(process.env.BENCH_CONTENDERS.split(',').map((c) => c.trim()))
      : undefined,
    externalBrokers: process.env.KAFKA_BROKERS
      ? process.env.KAFKA_BROKERS.split(',').map((b) => b.trim())
      : undefined,
    outages: readOutages(process.env.BENCH_OUTAGE),
    outageRate,
  };
}

/** A message count scaled by BENCH_SCALE, never below `min`. */
export function scaled(config: BenchConfig, count: number, min = 100): number {
  return Math.max(min, Math.round(count * config.scale));
}

/** The contenders of a scenario that BENCH_CONTENDERS selects. */
export function pick<T extends string>(config: BenchConfig, ids: readonly T[]): T[] {
  return ids.filter((id) => !config.contenders || config.contenders.has(id));
}

/**
 * The contenders of round `round`: odd rounds run them in reverse order, so no contender always runs right after
 * the same one or always late in the scenario (each gets the same average position).
 */
export function roundOrder<T extends string>(config: BenchConfig, ids: readonly T[], round: number): T[] {
  const order = pick(config, ids);
  return round % 2 === 1 ? order.reverse() : order;
}
