/**
 * One group member in a process of its own, so a test can freeze it (SIGSTOP), kill it or ask it to stop
 * (SIGTERM). Its handler takes one record per call, sleeps `MEMBER_CALL_MS` (or never settles with
 * `MEMBER_HANG=1`), then writes one effect row to a Postgres ledger: in the dedup transaction with
 * `MEMBER_DEDUP=postgres`, on its own otherwise. Stdout carries one JSON event per line for the test.
 */
import 'reflect-metadata';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { logLevel } from 'kafkajs';
import {
  KafkaCtx,
  Messages,
  ReliableBatchHandler,
  ReliableKafkaModule,
  ReliableKafkaStatus,
  TxManager,
  type KafkaContext,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { DataSource, type EntityManager } from 'typeorm';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const topic = env('MEMBER_TOPIC');
const groupId = env('MEMBER_GROUP');
const ledger = env('MEMBER_LEDGER');
const callMs = Number(env('MEMBER_CALL_MS', '0'));
const hang = env('MEMBER_HANG', '0') === '1';
const dedup = env('MEMBER_DEDUP', 'none') as 'none' | 'redis' | 'postgres';
const sessionTimeout = Number(env('MEMBER_SESSION_MS', '6000'));
const callTimeoutMs = process.env.MEMBER_CALL_TIMEOUT_MS
  ? Number(process.env.MEMBER_CALL_TIMEOUT_MS)
  : undefined;
const shutdownTimeoutMs = Number(env('MEMBER_SHUTDOWN_MS', '20000'));
const concurrency = Number(env('MEMBER_CONCURRENCY', '1'));

function emit(event: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, pid: process.pid, t: Date.now(), ...extra })}\n`);
}

/** Sleeps `ms`, or until `signal` aborts (a well-behaved handler stops its work). */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

@Injectable()
class Member {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ReliableKafkaStatus) private readonly status: ReliableKafkaStatus,
  ) {}

  @ReliableBatchHandler({
    topic,
    groupId,
    fromBeginning: true,
    maxBatchSize: 1,
    concurrency,
    dedup: dedup === 'postgres' ? { transactional: true } : dedup === 'redis',
    sessionTimeout,
    heartbeatInterval: Math.floor(sessionTimeout / 6),
    maxProcessingTimeMs: Math.max(callMs * 3, 5_000),
    ...(callTimeoutMs !== undefined && { callTimeoutMs }),
    retry: { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
  })
  async handle(
    @Messages() messages: ReliableMessage[],
    @KafkaCtx() ctx: KafkaContext,
    @TxManager() tx?: EntityManager,
  ): Promise<void> {
    const [m] = messages;
    const at = { partition: m.partition, offset: m.offset, id: m.id };
    // which membership generation (join) of this process the call started in
    emit('call-start', { ...at, joins: this.status.consumers()[0]?.joins ?? 0 });
    if (hang) await new Promise<never>(() => undefined);
    await sleep(callMs, ctx.signal);
    if (ctx.signal.aborted) {
      emit('call-aborted', at);
      throw ctx.signal.reason;
    }
    await (tx ?? this.db.manager).query(
      `INSERT INTO ${ledger} (message_id, kafka_partition, kafka_offset, pid) VALUES ($1, $2, $3, $4)`,
      [m.id, m.partition, m.offset, process.pid],
    );
    emit('call-end', at);
  }
}

async function main(): Promise<void> {
  const db = new DataSource({ type: 'postgres', url: env('DATABASE_URL'), poolSize: 4 });
  await db.initialize();
  @Module({
    imports: [
      ReliableKafkaModule.forRoot({
        client: {
          clientId: `member-${process.pid}`,
          brokers: env('KAFKA_BROKERS').split(','),
          logLevel: logLevel.NOTHING,
        },
        dedup:
          dedup === 'postgres'
            ? { store: 'postgres', dataSource: db }
            : dedup === 'redis'
              ? { store: 'redis', url: env('REDIS_URL') }
              : { store: 'none' },
        shutdownTimeoutMs,
        doctor: { mode: 'off' },
      }),
    ],
    providers: [Member, { provide: DataSource, useValue: db }],
  })
  class MemberModule {}
  const app = await NestFactory.createApplicationContext(MemberModule, { logger: ['error'] });
  app.enableShutdownHooks();
  const status = app.get(ReliableKafkaStatus);
  let last = '';
  setInterval(() => {
    const [state] = status.consumers();
    const now = JSON.stringify({
      joined: state?.joined ?? false,
      joins: state?.joins ?? 0,
      assigned: state?.assigned ?? {},
    });
    if (now !== last) emit('state', JSON.parse(now) as Record<string, unknown>);
    last = now;
  }, 50).unref();
  process.once('SIGTERM', () => emit('sigterm'));
  emit('ready');
}

main().catch((error: unknown) => {
  emit('fatal', { error: String(error) });
  process.exit(1);
});
