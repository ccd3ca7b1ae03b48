import { cpus, loadavg } from 'node:os';
import { readBenchConfig, type BenchConfig } from './support/bench-config';
import type { BenchContext, SharedBrokerContext } from './support/bench-context';
import { startBrokerProcess, stopBrokerProcesses, type BrokerProcess } from './support/broker-process';
import { warmContenders } from './support/contender-process';
import { BenchProgress } from './support/progress';
import type { ScenarioReport } from './support/report.interface';
import { writeResults, type RunMeta } from './support/results-writer';
import { REPLICATED_LABEL } from './support/replicated-cluster.util';
import { createSeeder, type Seeder } from './support/seed.util';
import { startServices, type BenchServices } from './support/services';
import { fmtMiB } from './support/stats.util';
import { printTable } from './support/table';
import { outageSteps, runOutage } from './scenarios/outage.scenario';
import { producerSteps, runProducer } from './scenarios/producer.scenario';
import { runScaling, scalingSteps } from './scenarios/scaling.scenario';
import { runSlowIo, slowIoSteps } from './scenarios/slow-io.scenario';
import { runThroughput, throughputSteps } from './scenarios/throughput.scenario';

/** A scenario on the shared single-broker cluster, or one that starts its own replicated cluster (3 and 5). */
type Scenario = { id: number; steps: (config: BenchConfig) => number } & (
  | { shared: true; run: (ctx: SharedBrokerContext) => Promise<ScenarioReport> }
  | { shared: false; run: (ctx: BenchContext) => Promise<ScenarioReport> }
);

/** `npm run bench [-- --reference]`: every scenario, each contender in its own process, tables at the end. */
const SCENARIOS: Scenario[] = [
  { id: 1, shared: true, steps: throughputSteps, run: runThroughput },
  { id: 2, shared: true, steps: slowIoSteps, run: runSlowIo },
  { id: 3, shared: false, steps: producerSteps, run: runProducer },
  { id: 4, shared: true, steps: scalingSteps, run: runScaling },
  { id: 5, shared: false, steps: outageSteps, run: runOutage },
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
    await stopBrokerProcesses().catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  const progress = new BenchProgress(scenarios.reduce((n, s) => n + s.steps(config), 0));
  const reports: ScenarioReport[] = [];
  try {
    await warmContenders();
    const runId = startedAt.getTime().toString(36);
    let sequence = 0;
    const ctx: BenchContext = {
      config,
      progress,
      services: () => (services ??= startServices().catch((err: Error) => err)),
      // A counter, not just the name: with BENCH_REPEAT the same contender needs a fresh group every round.
      unique: (name) => `bench-${runId}-${name}-${++sequence}`,
    };
    let shared: { brokers: string[]; seeder: Seeder } | undefined;
    for (const scenario of scenarios) {
      if (!scenario.shared) {
        reports.push(await scenario.run(ctx));
        continue;
      }
      if (!shared) {
        broker = config.externalBrokers
          ? undefined
          : await startBrokerProcess(['--brokers', '1', '--port', '0']);
        const brokers = config.externalBrokers ?? broker!.brokers;
        shared = { brokers, seeder: await createSeeder(brokers) };
      }
      reports.push(await scenario.run({ ...ctx, ...shared }));
    }
    await shared?.seeder.close();
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
      : `embedded in its own process: scenarios 1, 2, 4 on 1 broker; 3 and 5 on ${REPLICATED_LABEL} (a fresh cluster per scenario 5 run)`,
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
      `${meta.brokerPeakRss ? `, single broker's peak RSS ${meta.brokerPeakRss}` : ''}, load average ${meta.loadAverage.map((l) => l.toFixed(1)).join(' -> ')}`,
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
