import { runOrdersDemo } from '../src/orders-demo';
import { serveOrders, type ServingApp } from '../src/serve';
import { waitFor } from './support/wait-for';
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

  describe('serve mode (npm start -- --serve)', () => {
    let serving: ServingApp | undefined;
    afterAll(async () => {
      await serving?.close();
    });

    it('serves /health (up, consumer assigned) and /metrics (processed orders of its group)', async () => {
      const env = { ...base(), REDIS_URL, ORDERS: '10' };
      serving = await serveOrders({ env, port: 0, log: () => undefined });
      const health = await waitFor(
        async () => {
          const response = await fetch(`${serving?.url}/health`);
          const body = (await response.json()) as {
            status: string;
            details: { kafka: { consumers: unknown[] } };
          };
          return response.status === 200 && body.status === 'ok' ? body : undefined;
        },
        { message: 'GET /health answers 200 ok' },
      );
      expect(health.details.kafka.consumers).toEqual([
        expect.objectContaining({ groupId: env.ORDERS_GROUP, connected: true, joined: true }),
      ]);
      const processed = new RegExp(
        `^reliable_kafka_messages_processed_total\\{group="${env.ORDERS_GROUP}",topic="${env.ORDERS_TOPIC}"\\} (\\d+)$`,
        'm',
      );
      const metrics = await waitFor(
        async () => {
          const response = await fetch(`${serving?.url}/metrics`);
          const text = await response.text();
          const count = Number(processed.exec(text)?.[1] ?? 0);
          return count >= 10 ? { contentType: response.headers.get('content-type'), text } : undefined;
        },
        { message: 'GET /metrics shows the orders processed' },
      );
      expect(metrics.contentType).toMatch(/^text\/plain/);
      expect(metrics.text).toContain('# TYPE reliable_kafka_handler_duration_seconds histogram');
    });
  });
});
