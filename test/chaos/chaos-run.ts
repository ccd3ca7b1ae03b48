import { Kafka, logLevel } from 'kafkajs';
import type { OrderingMode } from 'nestjs-reliable-kafka';
import type { Pool } from 'pg';
import { uniqueName, uniqueSqlName, waitFor, type RedisProcess } from '../support';
import type { BrokerProcess } from './broker-process';
import type { ChildExit } from './child-process.util';
import { CHAOS_ENV, createLedgerSql, ledgerTables, type LedgerTables } from './chaos-ledger';
import { killInterruptedBatch, renderVerdict, verifyLedger, type ChaosVerdict } from './chaos-verifier';
import { ConsumerFleet, type KillRecord } from './consumer-fleet';
import { readDeadLetterIds } from './dead-letters';
import { runFaultPlan } from './fault-plan';
import { checkPoison, poisonRows, type PoisonCheck } from './poison-check';
import { isPoison } from './poison-message.error';
import { ProducerRunner } from './producer-runner';

/** Size and targets of one chaos run. */
export interface ChaosRunOptions {
  dedup: 'postgres' | 'redis';
  pool: Pool;
  brokers: string[];
  /** The embedded broker process; absent for an external cluster (broker faults are skipped). */
  broker?: BrokerProcess;
  /** Required for the `redis` variant: a dedicated server the plan can take down. */
  redis?: RedisProcess;
  total: number;
  consumers: number;
  keys: number;
  partitions: number;
  ratePerSec: number;
  /** The consumers' handler `ordering` (default `partition`). */
  ordering?: OrderingMode;
  /** The consumers' handler `concurrency` (default 1). */
  concurrency?: number;
  /** Where the run's ledger tables are recorded, for the caller's cleanup (even when the run throws). */
  tablesCreated: LedgerTables[];
}

/** What happened and what the ledger says. */
export interface ChaosOutcome {
  verdict: ChaosVerdict;
  /** Faults and figures as a printable table. */
  report: string;
  producerExit: ChildExit;
  producerStderr: string;
  kills: KillRecord[];
  /** Per kill: whether it interrupted a batch before the batch's effects committed. */
  interrupted: boolean[];
  /** Consumers that died on their own or did not shut down cleanly. */
  unexpectedExits: string[];
  /** kafkajs errors the producer logged (message -> count): broker faults reaching the client. */
  producerErrors: Record<string, number>;
  dedupOutageWaits: number;
  /** Most handler calls of one partition that one consumer process ran at once. */
  maxConcurrentCalls: number;
  brokerAnswers: string[];
  poison: PoisonCheck;
}

/** How long the consumers get to work off the backlog after the producer finished. */
export const drainTimeoutMs = (total: number): number => Math.max(120_000, total * 4);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates the ledger and topic, runs producer + consumers + faults, waits for the backlog, verifies. */
export async function runChaos(o: ChaosRunOptions): Promise<ChaosOutcome> {
  const tables = ledgerTables(uniqueSqlName(`chaos_${o.dedup}`));
  o.tablesCreated.push(tables);
  for (const sql of createLedgerSql(tables)) await o.pool.query(sql);
  const topic = uniqueName(`chaos-${o.dedup}`);
  await createTopic(o.brokers, topic, o.partitions, o.broker ? 3 : undefined);
  const env: NodeJS.ProcessEnv = {
    [CHAOS_ENV.brokers]: o.brokers.join(','),
    [CHAOS_ENV.topic]: topic,
    [CHAOS_ENV.groupId]: uniqueName('chaos-group'),
    [CHAOS_ENV.prefix]: tables.acked.replace(/_acked$/, ''),
    [CHAOS_ENV.messages]: `${o.total}`,
    [CHAOS_ENV.keys]: `${o.keys}`,
    [CHAOS_ENV.ratePerSec]: `${o.ratePerSec}`,
    [CHAOS_ENV.runId]: uniqueName('m'),
    [CHAOS_ENV.dedup]: o.dedup,
    [CHAOS_ENV.redisUrl]: o.redis?.url ?? '',
    [CHAOS_ENV.ordering]: o.ordering ?? 'partition',
    [CHAOS_ENV.concurrency]: `${o.concurrency ?? 1}`,
  };

  const fleet = new ConsumerFleet(env);
  for (let i = 0; i < o.consumers; i++) await fleet.add();
  const producer = new ProducerRunner(env);
  const faults = await runFaultPlan({ total: o.total, producer, fleet, broker: o.broker, redis: o.redis });
  const producerExit = await producer.exited;
  try {
    await waitFor(async () => (await unhandled(o.pool, tables)) === 0, {
      timeoutMs: drainTimeoutMs(o.total),
      intervalMs: 500,
    });
  } catch {
    // reported by the verifier as lost messages
  }
  await sleep(2_000); // a straggling duplicate would show up now
  await fleet.stopAll();

  const deadLetterIds = await readDeadLetterIds(o.brokers, topic);
  const verdict = await verifyLedger(o.pool, tables, o.total, deadLetterIds);
  const poison = await checkPoison(o.pool, tables, deadLetterIds);
  const interrupted = await Promise.all(
    fleet.kills.map((k) => killInterruptedBatch(o.pool, tables, k.pid, k.batchFirstId)),
  );
  const producerErrors = producer.summary?.clientErrors ?? {};
  const header = [
    `chaos run (${o.dedup} dedup): N=${o.total} K=${o.consumers} (+${fleet.members.length - o.consumers} started ` +
      `during the run) keys=${o.keys} partitions=${o.partitions} rate=${o.ratePerSec}/s ` +
      `ordering=${o.ordering ?? 'partition'} concurrency=${o.concurrency ?? 1}`,
    `kafka: ${o.broker ? 'embedded, 3 brokers, RF 3, min.insync 2' : `external ${o.brokers.join(',')} (broker faults skipped)`}`,
    ...faults.map((f) => `fault: ${f}`),
    `kills that interrupted an uncommitted batch: ${interrupted.filter(Boolean).length}/${fleet.kills.length}`,
    `consumer waits for an unavailable dedup store: ${fleet.dedupOutageWaits}`,
    `most handler calls of one partition in flight at once: ${fleet.maxConcurrentCalls}`,
    `producer: ${producer.summary?.sendFailures ?? '?'} send() rejections; kafkajs errors it logged:`,
    ...Object.entries(producerErrors).map(([e, n]) => `  x${n} ${e}`),
  ];
  return {
    verdict,
    report: renderVerdict(verdict, header, poisonRows(poison)),
    poison,
    producerExit,
    producerStderr: producer.stderr.slice(-2000),
    kills: fleet.kills,
    interrupted,
    unexpectedExits: fleet.unexpectedExits(),
    producerErrors,
    dedupOutageWaits: fleet.dedupOutageWaits,
    maxConcurrentCalls: fleet.maxConcurrentCalls,
    brokerAnswers: o.broker?.log.map((l) => `${l.command} -> ${l.answer}`) ?? [],
  };
}

async function createTopic(brokers: string[], topic: string, partitions: number, rf?: number): Promise<void> {
  const admin = new Kafka({ clientId: 'chaos-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: rf }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** Acked messages without an effect yet, poison messages (which never get one) aside. */
async function unhandled(pool: Pool, t: LedgerTables): Promise<number> {
  const { rows } = await pool.query<{ key: string; seq: number }>(
    `SELECT key, seq FROM ${t.acked} a WHERE NOT EXISTS
     (SELECT 1 FROM ${t.effects} e WHERE e.message_id = a.message_id)`,
  );
  return rows.filter((r) => !isPoison(r.key, r.seq)).length;
}
