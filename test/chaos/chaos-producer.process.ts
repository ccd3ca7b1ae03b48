/**
 * The chaos producer (a separate OS process), modelled on Kafka's VerifiableProducer: sends N messages with unique
 * ids (the `message-id` header) over a small key space, a per-key sequence number in the value, through
 * ReliableProducerService, and records each id in the ledger only after the broker acknowledged it.
 * Per key, seq n+1 is sent only after seq n was acked, so the log holds each key's messages in seq order.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { logLevel, type LogEntry } from 'kafkajs';
import { ReliableKafkaModule, ReliableProducerService } from 'nestjs-reliable-kafka';
import { Pool } from 'pg';
import { CHAOS_ENV, chaosEnv, ledgerTables, type ChaosPayload } from './chaos-ledger';

const tables = ledgerTables(chaosEnv(CHAOS_ENV.prefix));
const topic = chaosEnv(CHAOS_ENV.topic);
const total = Number(chaosEnv(CHAOS_ENV.messages));
const keyCount = Number(chaosEnv(CHAOS_ENV.keys));
const ratePerSec = Number(chaosEnv(CHAOS_ENV.ratePerSec));
const runId = chaosEnv(CHAOS_ENV.runId);

function emit(event: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...extra })}\n`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Errors kafkajs logged (the evidence that injected broker faults reached the client), by message. */
const clientErrors = new Map<string, number>();
const countErrors =
  () =>
  ({ namespace, log }: LogEntry) => {
    const error = typeof log.error === 'string' ? log.error : log.message;
    const label = `${namespace}: ${error}`.slice(0, 160);
    clientErrors.set(label, (clientErrors.get(label) ?? 0) + 1);
  };

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: chaosEnv('DATABASE_URL'), max: 4 });
  const app = await NestFactory.createApplicationContext(
    ReliableKafkaModule.forRoot({
      client: {
        clientId: 'chaos-producer',
        brokers: chaosEnv(CHAOS_ENV.brokers).split(','),
        logLevel: logLevel.ERROR,
        logCreator: countErrors,
      },
      producer: { lingerMs: 5, deliveryTimeoutMs: 20_000 },
    }),
    { logger: ['error', 'warn'] },
  );
  const producer = app.get(ReliableProducerService);
  let acked = 0;
  let sendFailures = 0;
  const perKey = Math.ceil(total / keyCount);
  // Each key's worker paces itself so that all of them together send about ratePerSec messages a second.
  const intervalMs = (keyCount / ratePerSec) * 1000;

  const sendKey = async (k: number): Promise<void> => {
    const key = `key-${k}`;
    for (let seq = 0; seq < perKey && seq * keyCount + k < total; seq++) {
      const started = Date.now();
      const id = `${runId}-${key}-${seq}`;
      const value: ChaosPayload = { key, seq };
      // Until acked, resend the same id: a message written twice is deduplicated by the consumer.
      for (;;) {
        try {
          const [meta] = await producer.send(topic, [{ key, value, headers: { 'message-id': id } }]);
          await pool.query(
            `INSERT INTO ${tables.acked} (message_id, key, seq, kafka_partition, kafka_offset)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [id, key, seq, meta.partition, meta.offset],
          );
          break;
        } catch (error) {
          sendFailures++;
          emit('send-failed', { id, error: (error as Error).message.slice(0, 200) });
          await sleep(200);
        }
      }
      acked++;
      if (acked % 50 === 0) emit('acked', { acked });
      await sleep(Math.max(0, intervalMs - (Date.now() - started)));
    }
  };

  await Promise.all(Array.from({ length: keyCount }, (_, k) => sendKey(k)));
  emit('acked', { acked });
  await app.close();
  await pool.end();
  emit('done', { acked, sendFailures, clientErrors: Object.fromEntries(clientErrors) });
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos producer failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
