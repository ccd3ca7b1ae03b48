/**
 * Chaos suite (issue 4, item 7), modelled on Kafka's VerifiableProducer / VerifiableConsumer bounce tests.
 * A producer process sends N keyed messages; K consumer processes of one group write each message's effect to a
 * Postgres ledger; meanwhile the harness SIGKILLs consumers mid-batch, adds consumers, breaks the embedded broker
 * (produce errors, a lost produce response, closed connections, a killed and restarted broker) and, in the Redis
 * variant, stops Redis for a while. The verifier then counts lost, duplicated and out-of-order effects: all 0.
 * One variant runs the consumers with `ordering: 'key'` and `concurrency: 4` (calls of one partition side by side).
 *
 *   npm run test:chaos                                     # CI size (N=3000, K=3), all three variants
 *   CHAOS_MESSAGES=50000 CHAOS_CONSUMERS=4 npm run test:chaos
 *   KAFKA_BROKERS=host:9092 npm run test:chaos             # external cluster: consumer and Redis faults only
 */
import { Pool } from 'pg';
import { externalBrokers, requireEnv, startRedisProcess, type RedisProcess } from '../support';
import { BrokerProcess } from './broker-process';
import { killAllChildren } from './child-process.util';
import { dropLedgerSql, type LedgerTables } from './chaos-ledger';
import { drainTimeoutMs, runChaos, type ChaosOutcome } from './chaos-run';

const N = Number(process.env.CHAOS_MESSAGES ?? 3000);
const K = Number(process.env.CHAOS_CONSUMERS ?? 3);
// About 25 s of producing at CI size, so that the faults land while messages flow.
const RATE = Number(process.env.CHAOS_RATE ?? Math.max(120, Math.ceil(N / 25)));

jest.setTimeout(Math.max(300_000, (N / RATE) * 1000 + 180_000 + drainTimeoutMs(N)));

describe(`chaos: N=${N} messages, K=${K} consumer processes, consumer kills + broker faults`, () => {
  const external = externalBrokers();
  const tablesCreated: LedgerTables[] = [];
  let pool: Pool;
  let broker: BrokerProcess | undefined;
  let brokers: string[];
  let redis: RedisProcess | undefined;

  beforeAll(async () => {
    pool = new Pool({ connectionString: requireEnv('DATABASE_URL'), max: 3 });
    if (external) brokers = external;
    else ({ broker, bootstrap: brokers } = await BrokerProcess.start(3, 2));
  });

  afterAll(async () => {
    await killAllChildren();
    await broker?.stop();
    await redis?.kill();
    if (process.env.CHAOS_KEEP !== '1') {
      for (const t of tablesCreated) await pool?.query(dropLedgerSql(t)).catch(() => undefined);
    }
    await pool?.end();
  });

  const run = (dedup: 'postgres' | 'redis', ordering?: { ordering: 'key'; concurrency: number }) =>
    runChaos({
      ...ordering,
      dedup,
      pool,
      brokers,
      broker,
      redis,
      total: N,
      consumers: K,
      keys: 12,
      partitions: 6,
      ratePerSec: RATE,
      tablesCreated,
    });

  /** The guarantees, and proof that the faults really happened (assert, don't assume). */
  function expectSurvived(o: ChaosOutcome): void {
    expect({ exit: o.producerExit, stderr: o.producerStderr }).toEqual({
      exit: { code: 0, signal: null },
      stderr: expect.any(String),
    });
    const { lost, duplicated, orderViolations, acked } = o.verdict;
    expect({ lost, duplicated, orderViolations, acked }).toEqual({
      lost: 0,
      duplicated: 0,
      orderViolations: 0,
      acked: N,
    });
    expect(o.unexpectedExits).toEqual([]);
    // Permanent failures: exactly the poison messages were dead-lettered, none left an effect.
    expect(o.poison.poisonAcked).toBeGreaterThan(0);
    expect(o.poison).toEqual({ ...o.poison, notDeadLettered: [], unexpectedDeadLetters: [], withEffect: 0 });
    expect(o.kills).toHaveLength(3);
    expect(o.interrupted).toEqual([true, true, true]);
    expect(o.verdict.partitionsMoved).toBeGreaterThan(0);
    expect(o.verdict.redeliveries).toBeGreaterThan(0);
    if (broker) {
      expect(o.brokerAnswers.filter((a) => !a.endsWith('-> ok'))).toEqual([]);
      // The injected NOT_ENOUGH_REPLICAS errors reached the producer (which retried them: nothing was lost).
      expect(Object.keys(o.producerErrors).filter((e) => /fewer in-sync replicas/.test(e))).not.toEqual([]);
    }
  }

  it('transactional Postgres dedup: no acked message lost, no effect applied twice, per-key order kept', async () => {
    const outcome = await run('postgres');
    console.log(outcome.report);
    expectSurvived(outcome);
  });

  it('key ordering, concurrency 4, transactional Postgres dedup: nothing lost or applied twice, each key in order', async () => {
    const outcome = await run('postgres', { ordering: 'key', concurrency: 4 });
    console.log(outcome.report);
    expectSurvived(outcome);
    // The mode was really in force: calls of one partition ran side by side (partition ordering never does).
    expect(outcome.maxConcurrentCalls).toBeGreaterThan(1);
  });

  it('Redis dedup with Redis stopped mid-run: no acked message lost, no effect applied twice, per-key order kept', async () => {
    redis = await startRedisProcess();
    const outcome = await run('redis');
    console.log(outcome.report);
    expectSurvived(outcome);
    expect(outcome.dedupOutageWaits).toBeGreaterThan(0);
  });
});
