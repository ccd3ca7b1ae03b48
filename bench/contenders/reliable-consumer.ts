import { Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { logLevel } from 'kafkajs';
import {
  ReliableBatchHandler,
  ReliableKafkaModule,
  type DedupOptions,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { DataSource } from 'typeorm';
import type { ConsumeSpec, SlowIoSpec } from '../support/protocol.interface';
import type { ConsumeSink } from './consume-sink';
import { byKey, sleep, type DrainClock } from './slow-io.util';

type Handle = (messages: ReliableMessage[]) => Promise<void>;

/** ReliableKafkaModule with one `@ReliableBatchHandler` (commit-after-success), as a user would write it. */
async function startApp(
  spec: ConsumeSpec | SlowIoSpec,
  handle: Handle,
  extra: { dedup?: DedupOptions; rawValues?: boolean; maxBatchSize?: number },
): Promise<() => Promise<void>> {
  @Injectable()
  class BenchHandler {
    @ReliableBatchHandler({
      topic: spec.topic,
      groupId: spec.groupId,
      fromBeginning: true,
      maxBatchSize: extra.maxBatchSize,
    })
    handle(messages: ReliableMessage[]): Promise<void> {
      return handle(messages);
    }
  }

  @Module({
    imports: [
      ReliableKafkaModule.forRoot({
        client: { clientId: `bench-${spec.contender}`, brokers: spec.brokers, logLevel: logLevel.NOTHING },
        dedup: extra.dedup ?? { store: 'none' },
        // Scenario 1's handler is a no-op like the plain kafkajs ones, so values are not decoded either.
        ...(extra.rawValues ? { deserializer: (value: Buffer | null) => value } : {}),
      }),
    ],
    providers: [BenchHandler as Type],
  })
  class BenchModule {}

  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false, abortOnError: false });
  return () => app.close();
}

/**
 * 'ours-batch-1000' shows what the chunk size (one awaited commit per chunk) costs. BENCH_OURS_MAX_BATCH tries
 * another size for every ours contender without editing the bench; otherwise the library default applies.
 */
function maxBatchSizeOf(spec: ConsumeSpec): number | undefined {
  if (process.env.BENCH_OURS_MAX_BATCH) return Number(process.env.BENCH_OURS_MAX_BATCH);
  return spec.contender === 'ours-batch-1000' ? 1000 : undefined;
}

/** Scenarios 1/4: ours, ours + Redis dedup, ours + Postgres dedup. */
export async function startReliableConsumer(
  spec: ConsumeSpec,
  sink: ConsumeSink,
): Promise<() => Promise<void>> {
  let dataSource: DataSource | undefined;
  let dedup: DedupOptions = { store: 'none' };
  if (spec.contender === 'ours-redis') {
    if (!spec.redisUrl) throw new Error('ours-redis needs REDIS_URL');
    dedup = { store: 'redis', url: spec.redisUrl };
  } else if (spec.contender === 'ours-postgres') {
    if (!spec.databaseUrl) throw new Error('ours-postgres needs DATABASE_URL');
    dataSource = await new DataSource({ type: 'postgres', url: spec.databaseUrl, poolSize: 4 }).initialize();
    dedup = { store: 'postgres', dataSource, tableName: 'bench_dedup' };
  }
  const close = await startApp(
    spec,
    async (messages) => {
      for (const m of messages) sink.record(m.timestamp);
    },
    {
      dedup,
      rawValues: true,
      maxBatchSize: maxBatchSizeOf(spec),
    },
  );
  return async () => {
    await close();
    await dataSource?.destroy();
  };
}

/**
 * Scenario 2 with the handler doing the concurrency itself inside a batch of `concurrency` messages: one by one
 * (partition order), all at once (unordered), or per key in order with the keys at once (key order).
 */
export async function startReliableSlowIo(spec: SlowIoSpec, clock: DrainClock): Promise<() => Promise<void>> {
  const work = async (m: ReliableMessage): Promise<void> => {
    clock.started();
    await sleep((m.value as { ms: number }).ms);
    clock.done();
  };
  const handlers: Record<string, Handle> = {
    'ours-batch-serial': async (messages) => {
      for (const m of messages) await work(m);
    },
    'ours-batch-all': async (messages) => void (await Promise.all(messages.map(work))),
    'ours-batch-by-key': (messages) => byKey(messages, (m) => m.key ?? '', work),
  };
  const handle = handlers[spec.contender];
  if (!handle) throw new Error(`unknown contender ${spec.contender}`);
  return startApp(spec, handle, { maxBatchSize: spec.concurrency });
}
