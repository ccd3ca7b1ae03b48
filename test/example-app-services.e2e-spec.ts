import { runOrdersDemo } from '../src/orders-demo';
import { requireEnv } from './support/env';
import { uniqueName } from './support/unique-name';

jest.setTimeout(120_000);

/** The example app in-process against the real servers of the test environment (KAFKA_BROKERS too when set). */
describe('example app on real Postgres / Redis', () => {
  const DATABASE_URL = requireEnv('DATABASE_URL');
  const REDIS_URL = requireEnv('REDIS_URL');
  const base = () => ({
    ...(process.env.KAFKA_BROKERS ? { KAFKA_BROKERS: process.env.KAFKA_BROKERS } : {}),
    DATABASE_URL,
    ORDERS: '30',
    DUPLICATE_EVERY: '3',
    FAIL_EVERY: '5',
    ORDERS_TOPIC: uniqueName('orders'),
    ORDERS_GROUP: uniqueName('billing'),
  });

  it('Postgres transactional dedup: every order stored exactly once', async () => {
    const lines: string[] = [];
    const summary = await runOrdersDemo({ env: base(), log: (l) => lines.push(l) });
    expect(lines.join('\n')).toContain('Dedup: Postgres store, transactional');
    expect(summary).toEqual({
      produced: 40,
      acked: 40,
      processed: 30,
      duplicatesSuppressed: 10,
      failuresRetried: expect.any(Number),
      lost: 0,
      duplicatedEffects: 0,
    });
    expect(summary.failuresRetried).toBeGreaterThan(0);
  });

  it('Redis dedup: every order stored exactly once', async () => {
    const lines: string[] = [];
    const summary = await runOrdersDemo({ env: { ...base(), REDIS_URL }, log: (l) => lines.push(l) });
    expect(lines.join('\n')).toContain('Dedup: Redis store');
    expect(summary).toMatchObject({ produced: 40, acked: 40, processed: 30, lost: 0, duplicatedEffects: 0 });
    expect(summary.failuresRetried).toBeGreaterThan(0);
  });
});
