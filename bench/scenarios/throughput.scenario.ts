import { best, type SharedBrokerContext, type Outcome } from '../support/bench-context';
import { pick, roundOrder, scaled, type BenchConfig } from '../support/bench-config';
import { fillTopic } from '../support/bench-context';
import type { ConsumeContenderId } from '../support/protocol.interface';
import type { ScenarioReport } from '../support/report.interface';
import { fmtInt, fmtMiB, fmtMs, fmtRatio } from '../support/stats.util';
import { CONSUME_LABELS, runConsumer } from './consume-run.util';
import { throughputMessage } from './payload.util';

const CONTENDERS: ConsumeContenderId[] = [
  'kafkajs-each-batch',
  'kafkajs-each-message',
  'nest-server-kafka',
  'ours',
  'ours-batch-1000',
  'ours-redis',
  'ours-postgres',
];

export const throughputSteps = (config: BenchConfig): number =>
  pick(config, CONTENDERS).length * config.repeat;

/** Scenario 1: fast (no-op) handler, 200k messages of ~100 bytes on 6 partitions. */
export async function runThroughput(ctx: SharedBrokerContext): Promise<ScenarioReport> {
  const backlog = scaled(ctx.config, 200_000, 1000);
  const live = scaled(ctx.config, 10_000, 200);
  const topic = ctx.unique('s1-throughput');
  const make = throughputMessage(topic);
  await ctx.seeder.createTopic(topic, 6);
  await fillTopic(ctx, topic, backlog, make);

  const outcomes = new Map<ConsumeContenderId, Outcome>();
  let produced = backlog;
  // Rounds run the contenders in turn (not each one n times in a row), so drift in machine load spreads evenly.
  for (let round = 0; round < ctx.config.repeat; round++) {
    for (const contender of roundOrder(ctx.config, CONTENDERS, round)) {
      // Every contender drains everything in the topic: the backlog plus the live messages of those before it.
      const outcome = await runConsumer(ctx, contender, topic, produced, live, make);
      outcomes.set(contender, best(outcomes.get(contender), outcome));
      produced += live;
    }
  }

  await ctx.seeder.deleteTopics([topic]);

  const rate = (id: ConsumeContenderId): number => {
    const o = outcomes.get(id);
    return o?.ok ? o.result.count / o.result.seconds : 0;
  };
  const ours = rate('ours');
  const table = [['contender', 'messages/s', 'p50 e2e', 'p99 e2e', 'peak RSS', 'ours / this']];
  for (const id of pick(ctx.config, CONTENDERS)) {
    const o = outcomes.get(id)!;
    if (!o.ok) table.push([CONSUME_LABELS[id], o.error, '', '', '', '']);
    else
      table.push([
        CONSUME_LABELS[id],
        fmtInt(rate(id)),
        fmtMs(o.result.latency?.p50),
        fmtMs(o.result.latency?.p99),
        fmtMiB(o.result.peakRssBytes),
        id === 'ours' ? '1.00x' : fmtRatio(ours, rate(id)),
      ]);
  }
  const target = (label: string, value: number, goal: number): string =>
    `${label}: ${value > 0 ? `${value.toFixed(2)}x` : 'n/a'} (target >= ${goal}x) ${value >= goal ? 'MET' : 'MISSED'}`;
  const base = rate('kafkajs-each-batch');
  return {
    id: 1,
    title: `Scenario 1 - fast handler: ${fmtInt(backlog)} messages x ~100 B, 6 partitions, no-op handler`,
    table,
    notes: [
      `best of ${ctx.config.repeat} round(s). messages/s: backlog drain, clock from the consumer's first fetch (after process start and group join). e2e latency: ${fmtInt(live)} more messages produced at ${fmtInt(ctx.config.latencyRate)}/s after the drain (record timestamp -> handled).`,
      target('ours / kafkajs eachBatch', base ? ours / base : 0, 0.8),
      target('ours + Redis dedup / kafkajs eachBatch', base ? rate('ours-redis') / base : 0, 0.6),
      target('ours / Nest ServerKafka', rate('nest-server-kafka') ? ours / rate('nest-server-kafka') : 0, 3),
    ],
    data: { backlog, live, latencyRate: ctx.config.latencyRate, outcomes: Object.fromEntries(outcomes) },
  };
}
