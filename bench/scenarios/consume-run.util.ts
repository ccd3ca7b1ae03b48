import type { Message } from 'kafkajs';
import { measure, type SharedBrokerContext, type Outcome } from '../support/bench-context';
import type { ConsumeContenderId, ConsumeSpec } from '../support/protocol.interface';

export const CONSUME_LABELS: Record<ConsumeContenderId, string> = {
  'kafkajs-each-batch': 'kafkajs eachBatch, auto-commit (unsafe baseline)',
  'kafkajs-each-message': 'kafkajs eachMessage',
  'nest-server-kafka': '@nestjs/microservices ServerKafka @EventPattern',
  ours: 'ours: @ReliableBatchHandler, commit-after-success',
  'ours-batch-1000': 'ours, maxBatchSize 1000 (default 100)',
  'ours-redis': 'ours + Redis dedup',
  'ours-postgres': 'ours + Postgres dedup',
};

/**
 * One consumer contender over a topic that already holds `backlog` messages, then `live` more produced at the
 * configured rate once the backlog is drained (latency). Each contender uses its own group from the beginning.
 */
export async function runConsumer(
  ctx: SharedBrokerContext,
  contender: ConsumeContenderId,
  topic: string,
  backlog: number,
  live: number,
  make: (i: number) => Message,
): Promise<Outcome> {
  let services: { redisUrl?: string; databaseUrl?: string } = {};
  if (contender === 'ours-redis' || contender === 'ours-postgres') {
    const started = await ctx.services();
    if (started instanceof Error)
      return { ok: false, error: `not available: Redis/Postgres did not start (${started.message})` };
    services = started;
  }
  const spec: ConsumeSpec = {
    scenario: 'consume',
    contender,
    brokers: ctx.brokers,
    topic,
    groupId: ctx.unique(`g-${contender}`),
    backlog,
    live,
    ...services,
  };
  return measure(ctx, `${topic}: ${CONSUME_LABELS[contender]}`, spec, backlog + live, {
    timeoutMs: 120_000 + backlog,
    onDrained:
      live > 0
        ? () => ctx.seeder.paced(topic, live, ctx.config.latencyRate, (k) => make(backlog + k))
        : undefined,
  });
}
