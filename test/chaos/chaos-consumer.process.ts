/**
 * One chaos consumer (a separate OS process, so the harness can SIGKILL it mid-batch). A Nest application
 * context with one @ReliableBatchHandler using the Postgres dedup store in transactional mode: the effect rows and
 * the dedup rows commit together or not at all. Stdout carries one JSON event per line for the harness.
 */
import 'reflect-metadata';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { logLevel } from 'kafkajs';
import {
  BatchFailedError,
  Messages,
  ReliableBatchHandler,
  ReliableKafkaModule,
  TxManager,
  type OrderingMode,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { DataSource, type EntityManager } from 'typeorm';
import { CHAOS_ENV, chaosEnv, ledgerTables, type ChaosPayload } from './chaos-ledger';
import { isPoison, PoisonMessageError } from './poison-message.error';

const tables = ledgerTables(chaosEnv(CHAOS_ENV.prefix));
const topic = chaosEnv(CHAOS_ENV.topic);
const groupId = chaosEnv(CHAOS_ENV.groupId);
const failRate = Number(process.env[CHAOS_ENV.failRate] ?? '0.1');
const handlerDelayMs = Number(process.env[CHAOS_ENV.handlerDelayMs] ?? '30');
const ordering = (process.env[CHAOS_ENV.ordering] || 'partition') as OrderingMode;
const concurrency = Number(process.env[CHAOS_ENV.concurrency] || '1');
/** Handler calls running now in this process, per partition (more than one only with `key` / `unordered`). */
const callsInFlight = new Map<number, number>();
const inFlightOn = (partition: number): number => callsInFlight.get(partition) ?? 0;

/** One line per event: the harness decides when to kill from these (e.g. between batch-start and batch-end). */
function emit(event: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, pid: process.pid, ...extra })}\n`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const redisMode = process.env[CHAOS_ENV.dedup] === 'redis';

/**
 * One attempt at `messages` (the batch up to its first poison message) through `manager` (the dedup transaction or
 * the handler's own): writes their effect rows, then fails at random (transient) after writing.
 */
async function writeEffects(
  manager: EntityManager,
  messages: ReliableMessage<ChaosPayload>[],
): Promise<void> {
  if (messages.length === 0) return;
  await manager.query(
    `INSERT INTO ${tables.effects} (message_id, key, seq, kafka_partition, kafka_offset, consumer_pid)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::bigint[], $6::int[])`,
    [
      messages.map((m) => m.id),
      messages.map((m) => m.value.key),
      messages.map((m) => m.value.seq),
      messages.map((m) => m.partition),
      messages.map((m) => m.offset),
      messages.map(() => process.pid),
    ],
  );
  // The window in which the harness SIGKILLs: attempts recorded, effects written but not committed.
  const first = messages[0].id;
  emit('batch-start', { n: messages.length, first, inFlight: inFlightOn(messages[0].partition) });
  await sleep(handlerDelayMs);
  if (Math.random() < failRate) {
    emit('batch-fail', { n: messages.length, first });
    throw new Error('chaos: transient handler failure (the effects of this attempt roll back)');
  }
}

@Injectable()
class ChaosHandler {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @ReliableBatchHandler({
    topic,
    groupId,
    fromBeginning: true,
    maxBatchSize: 25,
    ordering,
    concurrency,
    // Postgres: effects and dedup rows commit together. Redis: the effects commit first, then the ids are marked
    // done; the harness's kills land inside the effects transaction, never between the two.
    dedup: redisMode ? true : { transactional: true },
    // Enough attempts that a transient failure never exhausts them (p = failRate^10).
    retry: { maxAttempts: 10, initialDelayMs: 20, maxDelayMs: 200, nonRetryable: [PoisonMessageError] },
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
    // A claim must cover its call (startup refuses a call bound above dedup.claimTtlMs): calls take < 1 s here.
    callTimeoutMs: 8_000,
  })
  async handle(@Messages() messages: ReliableMessage<ChaosPayload>[], @TxManager() tx?: EntityManager) {
    const partition = messages[0]?.partition ?? -1;
    callsInFlight.set(partition, inFlightOn(partition) + 1);
    try {
      await this.attempt(messages, tx);
    } finally {
      callsInFlight.set(partition, inFlightOn(partition) - 1);
    }
  }

  private async attempt(messages: ReliableMessage<ChaosPayload>[], tx?: EntityManager): Promise<void> {
    // Outside the transaction (own pooled connection, autocommit): counts every attempt, failed ones included.
    await this.dataSource.query(
      `INSERT INTO ${tables.attempts} (message_id, consumer_pid) SELECT unnest($1::text[]), $2`,
      [messages.map((m) => m.id), process.pid],
    );
    // Messages before a poison one are handled; the poison one is named, so the runtime commits what precedes it
    // (in transactional mode the whole transaction rolls back and the runtime isolates it) and dead-letters it.
    const poisonAt = messages.findIndex((m) => isPoison(m.value.key, m.value.seq));
    const good = poisonAt < 0 ? messages : messages.slice(0, poisonAt);
    if (tx) await writeEffects(tx, good);
    else await this.dataSource.transaction((manager) => writeEffects(manager, good));
    if (poisonAt >= 0) {
      emit('poison', { id: messages[poisonAt].id, first: messages[0].id });
      throw new BatchFailedError(poisonAt, new PoisonMessageError(messages[poisonAt].id));
    }
    emit('batch-end', { n: messages.length, first: messages[0]?.id });
  }
}

async function main(): Promise<void> {
  const url = chaosEnv('DATABASE_URL');
  // Each concurrent call holds one connection for its dedup transaction and needs another for its attempts row.
  const max = 2 * concurrency + 2;
  const dataSource = await new DataSource({ type: 'postgres', url, extra: { max } }).initialize();

  @Module({
    imports: [
      ReliableKafkaModule.forRoot({
        client: {
          clientId: `chaos-consumer-${process.pid}`,
          brokers: chaosEnv(CHAOS_ENV.brokers).split(','),
          logLevel: logLevel.NOTHING,
          retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 2_000 },
        },
        dedup: redisMode
          ? // A SIGKILLed consumer's Redis claims outlive it until they expire (Postgres claims die with the
            // transaction): keep the TTL just above the longest handler run, or its partitions stall that long.
            { store: 'redis', url: chaosEnv(CHAOS_ENV.redisUrl), keyPrefix: tables.dedup, claimTtlMs: 10_000 }
          : { store: 'postgres', dataSource, tableName: tables.dedup },
      }),
    ],
    providers: [{ provide: DataSource, useValue: dataSource }, ChaosHandler],
  })
  class ChaosConsumerModule {}

  const app = await NestFactory.createApplicationContext(ChaosConsumerModule, { logger: ['error', 'warn'] });
  let closing = false;
  process.on('SIGTERM', () => {
    if (closing) return;
    closing = true;
    void app
      .close()
      .then(() => dataSource.destroy())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
  emit('ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos consumer failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
