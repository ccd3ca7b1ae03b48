import type { SharedBrokerContext, Outcome } from '../support/bench-context';
import { fillTopic } from '../support/bench-context';
import { pick, scaled, type BenchConfig } from '../support/bench-config';
import type { ConsumeContenderId } from '../support/protocol.interface';
import type { ScenarioReport } from '../support/report.interface';
import { fmtInt, fmtMiB } from '../support/stats.util';
import { CONSUME_LABELS, runConsumer } from './consume-run.util';
import { throughputMessage } from './payload.util';

const SIZES = [50_000, 200_000, 1_000_000];
const CONTENDERS: ConsumeContenderId[] = ['kafkajs-each-batch', 'ours'];

export const scalingSteps = (config: BenchConfig): number => SIZES.length * pick(config, CONTENDERS).length;

/** Scenario 4: scenario 1's drain at 50k, 200k and 1M messages: does cost grow linearly and memory stay flat? */
export async function runScaling(ctx: SharedBrokerContext): Promise<ScenarioReport> {
  const rows: { id: ConsumeContenderId; size: number; outcome: Outcome }[] = [];
  for (const nominal of SIZES) {
    const size = scaled(ctx.config, nominal, 1000);
    const topic = ctx.unique(`s4-scaling-${size}`);
    const make = throughputMessage(topic);
    await ctx.seeder.createTopic(topic, 6);
    await fillTopic(ctx, topic, size, make);
    for (const id of pick(ctx.config, CONTENDERS))
      rows.push({ id, size, outcome: await runConsumer(ctx, id, topic, size, 0, make) });
    await ctx.seeder.deleteTopics([topic]);
  }

  const rss = (id: ConsumeContenderId, size: number): number => {
    const o = rows.find((r) => r.id === id && r.size === size)?.outcome;
    return o?.ok ? o.result.peakRssBytes : 0;
  };
  const mid = scaled(ctx.config, SIZES[1], 1000);
  const big = scaled(ctx.config, SIZES[2], 1000);
  const table = [['contender', 'messages', 'messages/s', 'seconds', 'peak RSS', `RSS vs ${fmtInt(mid)}`]];
  for (const { id, size, outcome } of rows) {
    if (!outcome.ok) table.push([CONSUME_LABELS[id], fmtInt(size), outcome.error, '', '', '']);
    else {
      const { count, seconds, peakRssBytes } = outcome.result;
      const ratio = rss(id, mid) ? `${(peakRssBytes / rss(id, mid)).toFixed(2)}x` : '-';
      table.push([
        CONSUME_LABELS[id],
        fmtInt(size),
        fmtInt(count / seconds),
        seconds.toFixed(2),
        fmtMiB(peakRssBytes),
        ratio,
      ]);
    }
  }
  const growth = rss('ours', mid) ? rss('ours', big) / rss('ours', mid) : 0;
  return {
    id: 4,
    title: `Scenario 4 - scaling: scenario 1 drained at ${SIZES.map((s) => fmtInt(scaled(ctx.config, s, 1000))).join(' / ')} messages`,
    table,
    notes: [
      `ours peak RSS ${fmtInt(big)} vs ${fmtInt(mid)}: ${growth ? `${growth.toFixed(2)}x` : 'n/a'} (target <= 1.5x) ${growth && growth <= 1.5 ? 'MET' : 'MISSED'}`,
    ],
    data: { rows },
  };
}
