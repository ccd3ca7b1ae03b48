import { Inject, Injectable, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { logLevel } from 'kafkajs';
import {
  Messages,
  ReliableBatchHandler,
  ReliableKafkaModule,
  ReliableProducerService,
  TxManager,
  type DedupOptions,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { DataSource, type EntityManager } from 'typeorm';
import { createDedupStore, type DedupStore } from '../../libs/reliable-kafka/src/dedup';
import { requireEnv } from '../support/env';
import { startKafkaTarget, type KafkaTarget } from '../support/kafka-target';
import { uniqueName, uniqueSqlName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { createTopic } from './producer-test-kit';

jest.setTimeout(90_000);

const REDIS_URL = requireEnv('REDIS_URL');
const DATABASE_URL = requireEnv('DATABASE_URL');
const CLAIM_TTL_MS = 1_500;

/**
 * Dedup through the consumer runtime: duplicates (same message id) are handled once, and an id left claimed by a
 * consumer that "crashed" before markDone is not skipped: it is processed once the claim expired.
 */
describe('dedup through the consumer', () => {
  let target: KafkaTarget;
  let dataSource: DataSource;
  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 1 });
    dataSource = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await target?.stop();
  });

  const variants: Array<{ name: string; transactional: boolean; dedup: () => DedupOptions }> = [
    {
      name: 'Redis',
      transactional: false,
      dedup: () => ({
        store: 'redis',
        url: REDIS_URL,
        keyPrefix: uniqueName('rk-consumer'),
        claimTtlMs: CLAIM_TTL_MS,
      }),
    },
    {
      name: 'Postgres',
      transactional: false,
      dedup: () => ({
        store: 'postgres',
        dataSource,
        tableName: uniqueSqlName('dedup_consumer'),
        claimTtlMs: CLAIM_TTL_MS,
      }),
    },
    {
      name: 'Postgres transactional',
      transactional: true,
      dedup: () => ({
        store: 'postgres',
        dataSource,
        tableName: uniqueSqlName('dedup_consumer_tx'),
        claimTtlMs: CLAIM_TTL_MS,
      }),
    },
  ];

  for (const variant of variants) {
    it(`${variant.name}: handles each id once and reprocesses a claim left by a crash after it expired`, async () => {
      const topic = uniqueName('dedup-consumer');
      const groupId = uniqueName('dedup-group');
      const effects = uniqueSqlName('effects');
      await createTopic(target.brokers, topic, 1);
      await dataSource.query(`CREATE TABLE "${effects}" (id text NOT NULL)`);
      const dedup = variant.dedup();

      // a consumer of the same group claimed 'm-stuck' and died before marking it done
      const crashed: DedupStore = await createDedupStore(dedup);
      expect(await crashed.claim(groupId, ['m-stuck'])).toEqual(['claimed']);
      await crashed.close();

      const seen: string[] = [];
      const handler = handlerClass({ topic, groupId, effects, transactional: variant.transactional, seen });
      const moduleRef: TestingModule = await Test.createTestingModule({
        imports: [
          ReliableKafkaModule.forRoot({
            client: {
              clientId: uniqueName('dedup-consumer'),
              brokers: target.brokers,
              logLevel: logLevel.NOTHING,
            },
            dedup,
          }),
        ],
        providers: [{ provide: DataSource, useValue: dataSource }, handler],
      }).compile();
      await moduleRef.init();
      try {
        const producer = moduleRef.get(ReliableProducerService);
        const message = (id: string) => ({ value: { id }, headers: { 'message-id': id } });
        await producer.send(topic, [message('m-a'), message('m-a'), message('m-stuck')]);
        await producer.send(topic, [message('m-b'), message('m-a')]);

        await waitFor(async () => (await rows(effects)).length >= 3, {
          timeoutMs: 40_000,
          message: () => `three effects, handler saw ${JSON.stringify(seen)}`,
        });
        await new Promise((r) => setTimeout(r, CLAIM_TTL_MS)); // room for a wrong second effect to appear
        expect((await rows(effects)).sort()).toEqual(['m-a', 'm-b', 'm-stuck']);
        expect(seen.filter((id) => id === 'm-a')).toEqual(['m-a']);
      } finally {
        await moduleRef.close();
        await dataSource.query(`DROP TABLE "${effects}"`);
        if (dedup.store === 'postgres') await dataSource.query(`DROP TABLE IF EXISTS "${dedup.tableName}"`);
      }
    });
  }

  async function rows(table: string): Promise<string[]> {
    return (await dataSource.query(`SELECT id FROM "${table}"`)).map((r: { id: string }) => r.id);
  }
});

interface HandlerSettings {
  topic: string;
  groupId: string;
  effects: string;
  transactional: boolean;
  seen: string[];
}

function handlerClass(s: HandlerSettings): Type<unknown> {
  @Injectable()
  class EffectsHandler {
    constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

    @ReliableBatchHandler({
      topic: s.topic,
      groupId: s.groupId,
      fromBeginning: true,
      dedup: s.transactional ? { transactional: true } : true,
      retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 500 },
      callTimeoutMs: CLAIM_TTL_MS, // a claim must cover its call (startup refuses a longer call bound)
    })
    async handle(@Messages() messages: ReliableMessage[], @TxManager() tx?: EntityManager): Promise<void> {
      s.seen.push(...messages.map((m) => m.id));
      const write = (manager: EntityManager) =>
        Promise.all(
          messages.map((m) => manager.query(`INSERT INTO "${s.effects}" (id) VALUES ($1)`, [m.id])),
        );
      if (tx) await write(tx);
      else await this.dataSource.transaction(write);
    }
  }
  return EffectsHandler;
}
