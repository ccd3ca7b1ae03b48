import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  Messages,
  ReliableBatchHandler,
  ReliableKafkaModule,
  TxManager,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { DataSource, type EntityManager } from 'typeorm';
import {
  requireEnv,
  startKafkaTarget,
  uniqueName,
  uniqueSqlName,
  waitFor,
  type KafkaTarget,
} from '../support';
import {
  committedOffset,
  createTopic,
  kafkaTools,
  produceJson,
  startApp,
  testOptions,
  type KafkaTools,
} from './consumer-test-harness';

jest.setTimeout(90_000);

type Order = { n: number };

describe('reliable consumer with transactional Postgres dedup (real kafkajs, real Postgres)', () => {
  let target: KafkaTarget;
  let tools: KafkaTools;
  let dataSource: DataSource;
  const effects = uniqueSqlName('tx_effects');
  const dedupTable = uniqueSqlName('tx_dedup');
  const apps: TestingModule[] = [];

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'postgres', url: requireEnv('DATABASE_URL') }).initialize();
    // No unique key on purpose: an effect applied twice shows up as two rows.
    await dataSource.query(`CREATE TABLE "${effects}" (message_id text NOT NULL, n int NOT NULL)`);
    target = await startKafkaTarget();
    tools = await kafkaTools(target.brokers);
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await tools?.close();
    await target?.stop();
    await dataSource?.query(`DROP TABLE IF EXISTS "${effects}", "${dedupTable}"`);
    await dataSource?.destroy();
  });

  it('applies each effect exactly once: failed attempts roll back, duplicates are skipped, offsets commit after the transaction', async () => {
    const topic = uniqueName('orders-tx');
    const groupId = uniqueName('tx');
    await createTopic(tools, topic);
    let failuresLeft = 3;
    const managers: EntityManager[] = [];

    @Injectable()
    class LedgerConsumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, dedup: { transactional: true } })
      async handle(@Messages() messages: ReliableMessage<Order>[], @TxManager() tx: EntityManager) {
        managers.push(tx);
        for (const m of messages) {
          await tx.query(`INSERT INTO "${effects}" (message_id, n) VALUES ($1, $2)`, [m.id, m.value.n]);
          if (m.value.n === 2 && failuresLeft > 0) {
            failuresLeft--;
            throw new Error('ledger write of order 2 failed after order 1 was written');
          }
        }
      }
    }

    const options = testOptions(target.brokers, {
      dedup: { store: 'postgres', dataSource, tableName: dedupTable },
    });
    apps.push(await startApp(ReliableKafkaModule.forRoot(options), { providers: [LedgerConsumer] }));

    const ids = ['a', 'b', 'c', 'b'];
    await produceJson(
      tools,
      topic,
      [1, 2, 3, 4].map((n) => ({ n })),
      (i) => ({ 'message-id': ids[i] }),
    );
    await waitFor(async () => (await committedOffset(tools, groupId, topic)) === '4', {
      timeoutMs: 60_000,
      message: 'batch committed after the failures',
    });

    expect(failuresLeft).toBe(0);
    // Three failed attempts and the successful one, each given the dedup transaction's EntityManager.
    expect(managers.length).toBeGreaterThanOrEqual(4);
    expect(managers.every((m) => typeof m?.query === 'function')).toBe(true);
    const rows: { message_id: string; n: number }[] = await dataSource.query(
      `SELECT message_id, n FROM "${effects}" ORDER BY n`,
    );
    expect(rows).toEqual([
      { message_id: 'a', n: 1 },
      { message_id: 'b', n: 2 },
      { message_id: 'c', n: 3 },
    ]);
  });
});
