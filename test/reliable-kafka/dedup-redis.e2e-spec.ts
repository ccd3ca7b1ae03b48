import Redis from 'ioredis';
import {
  createDedupStore,
  DedupStoreUnavailableError,
  type DedupStore,
} from '../../libs/reliable-kafka/src/dedup';
import { requireEnv } from '../support/env';
import { findFreePort, startRedisProcess, type RedisProcess } from '../support/redis-process';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { dedupStoreContract } from './dedup-store-contract';

const REDIS_URL = requireEnv('REDIS_URL');

describe('Redis dedup store (real Redis)', () => {
  const contractPrefix = uniqueName('rk-contract');
  dedupStoreContract((claimTtlMs) =>
    createDedupStore({ store: 'redis', url: REDIS_URL, keyPrefix: contractPrefix, claimTtlMs }),
  );

  it('stores claims under <prefix>:<group>:<id> with the claim TTL, then done with the retention', async () => {
    const keyPrefix = uniqueName('rk-keys');
    const store = await createDedupStore({
      store: 'redis',
      url: REDIS_URL,
      keyPrefix,
      claimTtlMs: 60_000,
      retentionMs: 3_600_000,
    });
    const redis = new Redis(REDIS_URL);
    try {
      await store.claim('billing', ['o-1']);
      expect(await redis.get(`${keyPrefix}:billing:o-1`)).toBe('processing');
      const claimTtl = await redis.pttl(`${keyPrefix}:billing:o-1`);
      expect(claimTtl).toBeGreaterThan(0);
      expect(claimTtl).toBeLessThanOrEqual(60_000);
      await store.markDone('billing', ['o-1']);
      expect(await redis.get(`${keyPrefix}:billing:o-1`)).toBe('done');
      expect(await redis.pttl(`${keyPrefix}:billing:o-1`)).toBeGreaterThan(60_000);
    } finally {
      await store.close();
      await redis.quit();
    }
  });

  it('rejects with a typed error when the URL points nowhere', async () => {
    const port = await findFreePort();
    await expect(
      createDedupStore({ store: 'redis', url: `redis://127.0.0.1:${port}` }),
    ).rejects.toBeInstanceOf(DedupStoreUnavailableError);
  });

  describe('when its own redis-server goes down and comes back', () => {
    let server: RedisProcess | undefined;
    let store: DedupStore | undefined;

    afterAll(async () => {
      await store?.close();
      await server?.stop();
    });

    it('fails with DedupStoreUnavailableError while down and recovers after the restart', async () => {
      server = await startRedisProcess();
      store = await createDedupStore({ store: 'redis', url: server.url, keyPrefix: 'down-test' });
      expect(await store.claim('g', ['before'])).toEqual(['claimed']);

      await server.kill();
      const error = await store.claim('g', ['during']).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DedupStoreUnavailableError);
      expect((error as DedupStoreUnavailableError).operation).toBe('claim');
      expect((error as DedupStoreUnavailableError).cause).toBeDefined();
      await expect(store.markDone('g', ['before'])).rejects.toBeInstanceOf(DedupStoreUnavailableError);
      await expect(store.release('g', ['before'])).rejects.toBeInstanceOf(DedupStoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(DedupStoreUnavailableError);

      await server.start();
      const s = store;
      await waitFor(() => s.claim('g', ['after']), { message: 'claim after redis restart' });
      expect(await store.claim('g', ['after'])).toEqual(['busy']);
    });
  });
});
