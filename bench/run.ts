import { cpus, loadavg } from 'node:os';
import { readBenchConfig, type BenchConfig } from './support/bench-config';
import type { BenchContext } from './support/bench-context';
import { startBrokerProcess, type BrokerProcess } from './support/broker-process';
import { warmContenders } from './support/contender-process';
import { BenchProgress } from './support/progress';
import type { ScenarioReport } from './support/report.interface';
import { writeResults, type RunMeta } from './support/results-writer';
import { createSeeder } from './support/seed.util';
import { startServices, type BenchServices } from './support/services';
import { fmtMiB } from './support/stats.util';
import { printTable } from './support/table';
import { producerSteps, runProducer } from './scenarios/producer.scenario';
import { runScaling, scalingSteps } from './scenarios/scaling.scenario';
import { runSlowIo, slowIoSteps } from './scenarios/slow-io.scenario';
import { runThroughput, throughputSteps } from './scenarios/throughput.scenario';

/** `npm run bench [-- --reference]`: every scenario, each contender in its own process, tables at the end. */
const SCENARIOS: {
  id: number;
  steps: (config: BenchConfig) => number;
  run: (ctx: BenchContext) => Promise<ScenarioReport>;
}[] = [
  { id: 1, steps: throughputSteps, run: runThroughput },
  { id: 2, steps: slowIoSteps, run: runSlowIo },
  { id: 3, steps: producerSteps, run: runProducer },
  { id: 4, steps: scalingSteps, run: runScaling },
];

const selected = (config: BenchConfig): typeof SCENARIOS =>
  SCENARIOS.filter((s) => config.only.has(s.id) && (s.id !== 4 || config.scaling));

async function main(): Promise<void> {
  const config = readBenchConfig();
  const scenarios = selected(config);
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  let broker: BrokerProcess | undefined;
  let services: Promise<BenchServices | Error> | undefined;
  const cleanup = async (): Promise<void> => {
    const started = await services;
    if (started && !(started instanceof Error)) await started.stop().catch(() => undefined);
    await broker?.stop().catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  const progress = new BenchProgress(scenarios.reduce((n, s) => n + s.steps(config), 0));
  const reports: ScenarioReport[] = [];
  try {
    await warmContenders();
    broker = config.externalBrokers ? undefined : await startBrokerProcess(['--brokers', '1', '--port', '0']);
    const brokers = config.externalBrokers ?? broker!.brokers;
    const seeder = await createSeeder(brokers);
    const runId = startedAt.getTime().toString(36);
    let sequence = 0;
    const ctx: BenchContext = {
      config,
      brokers,
      seeder,
      progress,
      services: () => (services ??= startServices().catch((err: Error) => err)),
      // A counter, not just the name: with BENCH_REPEAT the same contender needs a fresh group every round.
      unique: (name) => `bench-${runId}-${name}-${++sequence}`,
    };
    for (const scenario of scenarios) reports.push(await scenario.run(ctx));
    await seeder.close();
  } finally {
    progress.stop();
  }

  const meta: RunMeta = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    scale: config.scale,
    brokers: config.externalBrokers
      ? `KAFKA_BROKERS=${config.externalBrokers.join(',')}`
      : 'embedded, 1 broker in its own process',
    brokerPeakRss: broker ? fmtMiB(broker.peakRss()) : undefined,
    loadAverage: [loadAtStart, loadavg()[0]],
    command: [
      ...Object.entries(process.env)
        .filter(([k]) => k.startsWith('BENCH_') && k !== 'BENCH_CONTENDER')
        .map(([k, v]) => `${k}=${v}`),
      `npm run bench${config.reference ? ' -- --reference' : ''}`,
    ].join(' '),
  };
  await cleanup();
  console.log(
    `\n${meta.startedAt}: ${meta.cpus} x ${meta.cpuModel}, Node ${meta.node}, BENCH_SCALE=${meta.scale}, broker: ${meta.brokers}` +
      `${meta.brokerPeakRss ? `, broker peak RSS ${meta.brokerPeakRss}` : ''}, load average ${meta.loadAverage.map((l) => l.toFixed(1)).join(' -> ')}`,
  );
  for (const report of reports) {
    printTable(report.title, report.table);
    for (const note of report.notes) console.log(`  - ${note}`);
  }
  const files = writeResults(meta, reports, config.reference);
  console.log(`\nResults: ${files.filter((f) => !/\d{4}-\d\d-\d\dT/.test(f)).join(', ')}`);
}

main().catch(async (err: unknown) => {
  console.error(err);
  process.exit(1);
});
