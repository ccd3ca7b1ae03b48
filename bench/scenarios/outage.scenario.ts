import { measure, type BenchContext, type Outcome } from '../support/bench-context';
import { pick, type BenchConfig } from '../support/bench-config';
import {
  describeOutage,
  injectOutage,
  type FaultWindow,
  type OutageKind,
} from '../support/outage-fault.util';
import { checkLog, outageStats, type LogCheck, type OutageStats } from '../support/outage-stats.util';
import type { OutageContenderId, OutageSpec } from '../support/protocol.interface';
import { countIdsInLog } from '../support/read-back.util';
import { openReplicatedCluster, REPLICATED_LABEL } from '../support/replicated-cluster.util';
import type { ScenarioReport } from '../support/report.interface';
import { fmtInt, fmtMiB } from '../support/stats.util';
import { meanOrderBytes } from './payload.util';
import { fmtTimeline, outageRow, OUTAGE_HEADER } from './outage-table.util';

const DURATION_MS = 45_000;
const FAULT_AT_MS = 10_000;
const FAULT_FOR_MS = 15_000;
/** After the last send is due: ours gives up on a send after deliveryTimeoutMs (30 s), kafkajs may never. */
const SETTLE_MS = 40_000;
const CONTENDERS: OutageContenderId[] = ['kafkajs-producer', 'ours-producer'];
export const OUTAGE_LABELS: Record<OutageContenderId, string> = {
  'kafkajs-producer': 'kafkajs: idempotent, acks -1, send() per message, client defaults',
  'ours-producer': 'ours: ReliableProducerService, defaults (deliveryTimeoutMs 30 s)',
};

/** One contender through one fault, with everything the table needs. */
export interface OutageRun {
  kind: OutageKind;
  contender: OutageContenderId;
  outcome: Outcome;
  fault?: FaultWindow;
  stats?: OutageStats;
  log?: LogCheck;
  /** Sends by how they ended: 'ok', 'pending', or the kind of rejection. */
  statusCounts?: Record<string, number>;
  /** Why there is no fault / log check (the fault commands or the read-back failed). */
  problem?: string;
  brokerCpuSeconds?: number;
  brokerPeakRssBytes?: number;
}

export const outageSteps = (config: BenchConfig): number =>
  config.externalBrokers ? 0 : config.outages.length * pick(config, CONTENDERS).length;

async function runOne(ctx: BenchContext, kind: OutageKind, contender: OutageContenderId): Promise<OutageRun> {
  const cluster = await openReplicatedCluster(ctx.config);
  const broker = cluster.process!;
  try {
    const topic = ctx.unique(`s5-${kind}-${contender}`);
    await cluster.createTopic(topic);
    const spec: OutageSpec = {
      scenario: 'outage',
      contender,
      brokers: cluster.brokers,
      topic,
      groupId: '',
      rate: ctx.config.outageRate,
      durationMs: DURATION_MS,
      settleMs: SETTLE_MS,
    };
    const cpuAtStart = broker.cpuSeconds();
    let fault: Promise<FaultWindow | Error> | undefined;
    const expected = Math.round((ctx.config.outageRate * DURATION_MS) / 1000);
    const outcome = await measure(ctx, `outage (${kind}): ${OUTAGE_LABELS[contender]}`, spec, expected, {
      timeoutMs: DURATION_MS + SETTLE_MS + 60_000,
      onMeasuring: (at) => {
        fault = injectOutage(broker, kind, at + FAULT_AT_MS, FAULT_FOR_MS).catch((err: Error) => err);
      },
    });
    const run: OutageRun = { kind, contender, outcome, brokerCpuSeconds: broker.cpuSeconds() - cpuAtStart };
    const window = await fault;
    if (!window || window instanceof Error)
      run.problem = `fault not injected: ${window?.message ?? 'no start'}`;
    else run.fault = window;
    const sends = outcome.ok ? outcome.result.sends : undefined;
    if (sends) {
      run.statusCounts = {};
      for (const status of sends.status) run.statusCounts[status] = (run.statusCounts[status] ?? 0) + 1;
    }
    if (outcome.ok && outcome.result.sends && run.fault) {
      run.stats = outageStats(outcome.result.sends, spec.rate, run.fault);
      try {
        const log = await countIdsInLog(cluster.brokers, topic, ctx.unique('s5-read-back'));
        run.log = checkLog(outcome.result.sends, log);
      } catch (err) {
        run.problem = `read-back failed: ${(err as Error).message}`;
      }
    }
    // The JSON keeps the summaries, not 90k per-send entries.
    if (outcome.ok) delete outcome.result.sends;
    run.brokerPeakRssBytes = broker.peakRss();
    return run;
  } finally {
    await cluster.close();
  }
}

/**
 * Scenario 5: a steady open-loop load of awaited sends through a 15 s fault on a replicated cluster; each contender
 * gets a fresh cluster. Needs the embedded cluster (faults go through its stdin), so KAFKA_BROKERS skips it.
 */
export async function runOutage(ctx: BenchContext): Promise<ScenarioReport> {
  const rate = ctx.config.outageRate;
  const bytes = Math.round(meanOrderBytes(true));
  const faults = ctx.config.outages.map((k) => `${k} = ${describeOutage(k, FAULT_FOR_MS / 1000)}`).join('; ');
  const title =
    `Scenario 5 - producer through an outage: ${fmtInt(rate)} sends/s of one ~${fmtInt(bytes)} B JSON order event ` +
    `(open loop, unkeyed, each awaited) for ${DURATION_MS / 1000} s, ${REPLICATED_LABEL}; ` +
    `fault from ${FAULT_AT_MS / 1000} s to ${(FAULT_AT_MS + FAULT_FOR_MS) / 1000} s: ${faults}`;
  if (ctx.config.externalBrokers)
    return {
      id: 5,
      title,
      table: [['skipped']],
      notes: [
        'KAFKA_BROKERS is set: faults are injected through the embedded cluster, so scenario 5 needs it.',
      ],
      data: {},
    };
  const runs: OutageRun[] = [];
  for (const kind of ctx.config.outages)
    for (const contender of pick(ctx.config, CONTENDERS)) runs.push(await runOne(ctx, kind, contender));

  const problems = runs.filter((r) => r.problem).map((r) => `${r.kind} / ${r.contender}: ${r.problem}`);
  const timelines = runs
    .filter((r) => r.stats)
    .map((r) => `median per second, ${r.kind} / ${r.contender}: ${fmtTimeline(r.stats!.perSecondMedian)}`);
  const windows = runs
    .filter((r) => r.fault)
    .map(
      (r) => `${r.kind} / ${r.contender}: ${((r.fault!.endedAt - r.fault!.startedAt) / 1000).toFixed(1)} s`,
    );
  return {
    id: 5,
    title,
    table: [OUTAGE_HEADER, ...runs.map((r) => outageRow(r, OUTAGE_LABELS[r.contender]))],
    notes: [
      `before / during / after: sends due before the fault, while it was in force, after it ended (by the time the open loop scheduled them); p50 / p99 over the sends that resolved, latency from when the send was due to its promise settling.`,
      `recovery: the first 1-s window after the fault ended (by due time) whose median latency is under 2x the pre-fault median, a rejected or pending send counting as infinitely slow; "never" = not within the run's ${(DURATION_MS - FAULT_AT_MS - FAULT_FOR_MS) / 1000} s after the fault.`,
      `in the log: after the run the topic is read back to its high watermarks and the message-id headers counted (ours stamps them, kafkajs sends carry one the bench sets). resolved, missing must be 0; rejected, in log is allowed for 'unknown' outcomes and errors that promise nothing, never for 'not-written'. duplicates: records beyond the first per id.`,
      `fault in force (measured): ${windows.join(', ') || '-'}; pending = not settled ${SETTLE_MS / 1000} s after the last send was due. CPU/send: the contender process's user+system CPU from the first send until it stopped waiting / sends.`,
      `median per second: the median latency (ms; "s" = seconds) of the sends due in each second of the run, rejected and pending ones counted as infinite ('x' = infinite); the fault covers seconds ${FAULT_AT_MS / 1000}-${(FAULT_AT_MS + FAULT_FOR_MS) / 1000 - 1}.`,
      ...timelines,
      ...problems,
    ],
    data: {
      rate,
      durationMs: DURATION_MS,
      faultAtMs: FAULT_AT_MS,
      faultForMs: FAULT_FOR_MS,
      valueBytes: bytes,
      runs: runs.map((r) => ({ ...r, brokerPeakRss: fmtMiB(r.brokerPeakRssBytes ?? 0) })),
    },
  };
}
