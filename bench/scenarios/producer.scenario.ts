import type { BenchContext, Outcome } from '../support/bench-context';
import { best, measure } from '../support/bench-context';
import { pick, roundOrder, scaled, type BenchConfig } from '../support/bench-config';
import type { ProduceContenderId, ProduceSpec } from '../support/protocol.interface';
import { openReplicatedCluster, REPLICATED_LABEL } from '../support/replicated-cluster.util';
import type { ScenarioReport } from '../support/report.interface';
import { fmtInt, fmtMiB, fmtMs, fmtRatio } from '../support/stats.util';
import { meanOrderBytes } from './payload.util';

const CALLERS = 100;
const BATCH = 500;
const CONTENDERS: ProduceContenderId[] = ['kafkajs-send-each', 'kafkajs-batches', 'ours-producer'];
const LABELS: Record<ProduceContenderId, string> = {
  'kafkajs-send-each': `kafkajs, ${CALLERS} callers awaiting send() of 1`,
  'kafkajs-batches': `kafkajs, pre-built batches of ${BATCH} (ceiling)`,
  'ours-producer': `ours: ReliableProducerService, ${CALLERS} callers`,
};

/** One run of a contender, with the broker's CPU over the contender's measured phase. */
type Run = Outcome & { brokerCpuSeconds?: number };

export const producerSteps = (config: BenchConfig): number => pick(config, CONTENDERS).length * config.repeat;

/**
 * Scenario 3: awaited sends (acks=-1, idempotent) of JSON order events, on its own 3-broker cluster with RF 3 topics.
 */
export async function runProducer(ctx: BenchContext): Promise<ScenarioReport> {
  const total = scaled(ctx.config, 50_000, 500);
  const outcomes = new Map<ProduceContenderId, Run>();
  const cluster = await openReplicatedCluster(ctx.config);
  let clusterPeakRss = 0;
  try {
    // Rounds run the contenders in turn, so drift in machine load spreads evenly over them.
    const rounds = Array.from({ length: ctx.config.repeat }, (_, round) =>
      roundOrder(ctx.config, CONTENDERS, round),
    ).flat();
    for (const [n, contender] of rounds.entries()) {
      const topic = ctx.unique(`s3-${contender}-${n}`);
      await cluster.createTopic(topic);
      const spec: ProduceSpec = {
        scenario: 'produce',
        contender,
        brokers: cluster.brokers,
        topic,
        groupId: '',
        total,
        callers: CALLERS,
        batchSize: BATCH,
      };
      const cpu = cluster.process ? { from: 0, to: 0 } : undefined;
      const outcome: Run = await measure(ctx, `producer: ${LABELS[contender]}`, spec, total, {
        timeoutMs: 60_000 + total * 5,
        onMeasuring: () => cpu && (cpu.from = cluster.process!.cpuSeconds()),
        onResult: () => cpu && (cpu.to = cluster.process!.cpuSeconds()),
      });
      if (cpu && outcome.ok) outcome.brokerCpuSeconds = cpu.to - cpu.from;
      // best() returns one of its arguments, both runs.
      outcomes.set(contender, best(outcomes.get(contender), outcome) as Run);
      await cluster.seeder.deleteTopics([topic]);
    }
    clusterPeakRss = cluster.process?.peakRss() ?? 0;
  } finally {
    await cluster.close();
  }
  const rate = (id: ProduceContenderId): number => {
    const o = outcomes.get(id);
    return o?.ok ? o.result.count / o.result.seconds : 0;
  };
  const perMessage = (seconds: number | undefined, count: number): string =>
    seconds === undefined ? '-' : `${((seconds * 1e6) / count).toFixed(1)} µs`;
  const ours = rate('ours-producer');
  const table = [
    [
      'contender',
      'messages/s',
      'p50 send',
      'p99 send',
      'CPU/msg',
      'broker CPU/msg',
      'peak RSS',
      'ours / this',
    ],
  ];
  for (const id of pick(ctx.config, CONTENDERS)) {
    const o = outcomes.get(id)!;
    if (!o.ok) table.push([LABELS[id], o.error, '', '', '', '', '', '']);
    else {
      const { count, latency, cpuMicros, peakRssBytes } = o.result;
      table.push([
        LABELS[id],
        fmtInt(rate(id)),
        fmtMs(latency?.p50),
        fmtMs(latency?.p99),
        perMessage(cpuMicros === undefined ? undefined : cpuMicros / 1e6, count),
        perMessage(o.brokerCpuSeconds, count),
        fmtMiB(peakRssBytes),
        fmtRatio(ours, rate(id)),
      ]);
    }
  }
  const judge = (label: string, theirs: number, goal: number): string => {
    const r = theirs > 0 && ours > 0 ? ours / theirs : 0;
    return `${label}: ${r ? `${r.toFixed(2)}x` : 'n/a'} (target >= ${goal}x) ${r >= goal ? 'MET' : 'MISSED'}`;
  };
  const bytes = Math.round(meanOrderBytes(false));
  return {
    id: 3,
    title: `Scenario 3 - producer with awaited acks: ${fmtInt(total)} JSON order events (~${bytes} B), acks=-1, idempotent, ${REPLICATED_LABEL}`,
    table,
    notes: [
      `best of ${ctx.config.repeat} round(s). p50/p99 send: time from calling send() to its promise resolving (for the ceiling: per batch of ${BATCH}).`,
      `each message is an order object built at send time; ours gets the object (and JSON-encodes it), kafkajs callers JSON.stringify it; the ceiling's batches are built and encoded before its clock starts.`,
      `CPU/msg: the contender process's user+system CPU (process.cpuUsage) over the measured phase / messages; broker CPU/msg: the whole embedded cluster process (3 brokers, replication included) over the same phase${clusterPeakRss ? `; cluster process peak RSS ${fmtMiB(clusterPeakRss)}` : ''}.`,
      judge('ours / kafkajs awaiting each send', rate('kafkajs-send-each'), 10),
      judge('ours / pre-batched ceiling', rate('kafkajs-batches'), 0.5),
    ],
    data: {
      total,
      callers: CALLERS,
      batchSize: BATCH,
      valueBytes: bytes,
      outcomes: Object.fromEntries(outcomes),
    },
  };
}
