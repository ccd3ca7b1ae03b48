import { Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { logLevel } from 'kafkajs';
import {
  ReliableBatchHandler,
  ReliableKafkaModule,
  type DedupOptions,
  type OrderingMode,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { DataSource } from 'typeorm';
import type { ConsumeSpec, SlowIoSpec } from '../support/protocol.interface';
import type { ConsumeSink } from './consume-sink';
import { sleep, type DrainClock } from './slow-io.util';

type Handle = (messages: ReliableMessage[]) => Promise<void>;

/** ReliableKafkaModule with one `@ReliableBatchHandler` (commit-after-success), as a user would write it. */
async function startApp(
  spec: ConsumeSpec | SlowIoSpec,
  handle: Handle,
  extra: {
    dedup?: DedupOptions;
    rawValues?: boolean;
    maxBatchSize?: number;
    ordering?: OrderingMode;
    concurrency?: number;
  },
): Promise<() => Promise<void>> {
  @Injectable()
  class BenchHandler {
    @ReliableBatchHandler({
      topic: spec.topic,
      groupId: spec.groupId,
      fromBeginning: true,
      maxBatchSize: extra.maxBatchSize,
      ordering: extra.ordering,
      concurrency: extra.concurrency,
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

const ORDERING_OF: Partial<Record<SlowIoSpec['contender'], OrderingMode>> = {
  'ours-partition': 'partition',
  'ours-key': 'key',
  'ours-unordered': 'unordered',
};

/**
 * Scenario 2 with the library doing the scheduling: `ordering` plus `concurrency` handler calls in flight, and a
 * handler that awaits each message of its call in turn (as I/O per message would).
 *
 * maxBatchSize stays at the default (100) for every ordering. `key`: a call holds one key, whose messages run one
 * after the other anyway, so the size costs no parallelism (with 10,000 keys every call holds one message).
 * `unordered`: a call is a chunk of up to 100 records, so a fetch of 10,000 gives 100 calls at once; smaller chunks
 * give more calls than the concurrency can run and pay the per-call work (claims, bookkeeping, commit) more often
 * (measured at 10,000 messages: 1 -> 2.0 s, 10 -> 0.61 s, 100 -> 0.48 s). `partition`: one call at a time whatever
 * the size. BENCH_OURS_MAX_BATCH tries another size.
 */
export async function startReliableSlowIo(spec: SlowIoSpec, clock: DrainClock): Promise<() => Promise<void>> {
  const ordering = ORDERING_OF[spec.contender];
  if (!ordering) throw new Error(`unknown contender ${spec.contender}`);
  const handle: Handle = async (messages) => {
    for (const m of messages) {
      clock.started();
      await sleep((m.value as { ms: number }).ms);
      clock.done();
    }
  };
  const maxBatchSize = process.env.BENCH_OURS_MAX_BATCH
    ? Number(process.env.BENCH_OURS_MAX_BATCH)
    : undefined;
  return startApp(spec, handle, { maxBatchSize, ordering, concurrency: spec.concurrency });
}
