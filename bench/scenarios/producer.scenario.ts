import type { BenchContext, Outcome } from '../support/bench-context';
import { best, measure } from '../support/bench-context';
import { pick, roundOrder, scaled, type BenchConfig } from '../support/bench-config';
import type { ProduceContenderId, ProduceSpec } from '../support/protocol.interface';
import type { ScenarioReport } from '../support/report.interface';
import { fmtInt, fmtMiB, fmtMs, fmtRatio } from '../support/stats.util';

const CALLERS = 100;
const BATCH = 500;
const CONTENDERS: ProduceContenderId[] = ['kafkajs-send-each', 'kafkajs-batches', 'ours-producer'];
const LABELS: Record<ProduceContenderId, string> = {
  'kafkajs-send-each': `kafkajs, ${CALLERS} callers awaiting send() of 1`,
  'kafkajs-batches': `kafkajs, pre-built batches of ${BATCH} (ceiling)`,
  'ours-producer': `ours: ReliableProducerService, ${CALLERS} callers`,
};

export const producerSteps = (config: BenchConfig): number => pick(config, CONTENDERS).length * config.repeat;

/** Scenario 3: awaited sends, acks=-1, idempotent producer, ~100-byte messages on a 6-partition topic. */
export async function runProducer(ctx: BenchContext): Promise<ScenarioReport> {
  const total = scaled(ctx.config, 50_000, 500);
  const outcomes = new Map<ProduceContenderId, Outcome>();
  // Rounds run the contenders in turn, so drift in machine load spreads evenly over them.
  const rounds = Array.from({ length: ctx.config.repeat }, (_, round) =>
    roundOrder(ctx.config, CONTENDERS, round),
  ).flat();
  for (const [n, contender] of rounds.entries()) {
    const topic = ctx.unique(`s3-${contender}-${n}`);
    await ctx.seeder.createTopic(topic, 6);
    const spec: ProduceSpec = {
      scenario: 'produce',
      contender,
      brokers: ctx.brokers,
      topic,
      groupId: '',
      total,
      callers: CALLERS,
      batchSize: BATCH,
    };
    const outcome = await measure(ctx, `producer: ${LABELS[contender]}`, spec, total, {
      timeoutMs: 60_000 + total * 5,
    });
    outcomes.set(contender, best(outcomes.get(contender), outcome));
    await ctx.seeder.deleteTopics([topic]);
  }
  const rate = (id: ProduceContenderId): number => {
    const o = outcomes.get(id);
    return o?.ok ? o.result.count / o.result.seconds : 0;
  };
  const ours = rate('ours-producer');
  const table = [['contender', 'messages/s', 'p50 send', 'p99 send', 'peak RSS', 'ours / this']];
  for (const id of pick(ctx.config, CONTENDERS)) {
    const o = outcomes.get(id)!;
    if (!o.ok) table.push([LABELS[id], o.error, '', '', '', '']);
    else
      table.push([
        LABELS[id],
        fmtInt(rate(id)),
        fmtMs(o.result.latency?.p50),
        fmtMs(o.result.latency?.p99),
        fmtMiB(o.result.peakRssBytes),
        fmtRatio(ours, rate(id)),
      ]);
  }
  const judge = (label: string, theirs: number, goal: number): string => {
    const r = theirs > 0 && ours > 0 ? ours / theirs : 0;
    return `${label}: ${r ? `${r.toFixed(2)}x` : 'n/a'} (target >= ${goal}x) ${r >= goal ? 'MET' : 'MISSED'}`;
  };
  return {
    id: 3,
    title: `Scenario 3 - producer with awaited acks: ${fmtInt(total)} messages x 100 B, acks=-1, idempotent, 6 partitions`,
    table,
    notes: [
      `best of ${ctx.config.repeat} round(s). p50/p99 send: time from calling send() to its promise resolving (for the ceiling: per batch of ${BATCH}).`,
      judge('ours / kafkajs awaiting each send', rate('kafkajs-send-each'), 10),
      judge('ours / pre-batched ceiling', rate('kafkajs-batches'), 0.5),
    ],
    data: { total, callers: CALLERS, batchSize: BATCH, outcomes: Object.fromEntries(outcomes) },
  };
}
