import Redis from 'ioredis';
import {
  createDedupStore,
  DEDUP_DEFAULTS,
  DedupStoreUnavailableError,
  RedisDedupStore,
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

  it('sends one script call per batch for claim, markDone and release, whatever the batch size', async () => {
    const keyPrefix = uniqueName('rk-one-trip');
    const store = await createDedupStore({ store: 'redis', url: REDIS_URL, keyPrefix });
    const client = new Redis(REDIS_URL);
    const monitor = await client.monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // commands run by a script show up with source "lua"; only what the client sent counts
      if (source !== 'lua' && args.some((a) => a.startsWith(keyPrefix))) seen.push(args);
    });
    try {
      const ids = Array.from({ length: 300 }, (_, i) => `id-${i}`);
      expect(await store.claim('g', ids)).toEqual(ids.map(() => 'claimed'));
      await store.markDone('g', ids.slice(0, 150));
      await store.release('g', ids.slice(150));
      expect(await store.claim('g', ids)).toEqual(ids.map((_, i) => (i < 150 ? 'done' : 'claimed')));
      await waitFor(() => seen.length >= 4, { message: () => `monitor saw ${seen.length} commands` });
      const names = seen.map((args) => args[0].toLowerCase());
      // the first call of each script may be EVALSHA answered NOSCRIPT, then EVAL: at most two per call
      expect(new Set(names)).toEqual(new Set(names.filter((n) => n === 'evalsha' || n === 'eval')));
      expect(names.filter((n) => n === 'evalsha').length).toBeGreaterThanOrEqual(1);
      expect(seen.length).toBeLessThanOrEqual(8);
      for (const args of seen)
        expect(args.filter((a) => a.startsWith(keyPrefix)).length).toBeGreaterThanOrEqual(150);
    } finally {
      await store.close();
      monitor.disconnect();
      await client.quit();
    }
  });

  it('keeps ids with newlines, empty ids and control characters apart, each under its own key', async () => {
    const keyPrefix = uniqueName('rk-odd-ids');
    const store = await createDedupStore({ store: 'redis', url: REDIS_URL, keyPrefix });
    const client = new Redis(REDIS_URL);
    try {
      const every = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('');
      for (const ids of [
        ['a\nb', '', 'plain'],
        [`x${every}`, 'y', 'a\nc'],
      ]) {
        expect(await store.claim('g', ids)).toEqual(ids.map(() => 'claimed'));
        await store.markDone('g', ids.slice(0, 1));
        await store.release('g', ids.slice(1));
        expect(await store.claim('g', ids)).toEqual(['done', 'claimed', 'claimed']);
        expect(await client.get(`${keyPrefix}:g:${ids[0]}`)).toBe('done');
        await store.release('g', ids.slice(1));
        expect(await client.exists(...ids.slice(1).map((id) => `${keyPrefix}:g:${id}`))).toBe(0);
      }
    } finally {
      await store.close();
      await client.quit();
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
      // the restarted server knows no scripts: EVALSHA gets NOSCRIPT and the store falls back to EVAL
      await waitFor(() => s.claim('g', ['after']), { message: 'claim after redis restart' });
      expect(await store.claim('g', ['after'])).toEqual(['busy']);
      await store.markDone('g', ['after']);
      expect(await store.claim('g', ['after', 'new'])).toEqual(['done', 'claimed']);
    });

    it('rejects within its operation timeout when Redis accepts but does not answer', async () => {
      const paused = await startRedisProcess();
      const hung = await RedisDedupStore.connect({
        url: paused.url,
        keyPrefix: 'hang-test',
        claimTtlMs: DEDUP_DEFAULTS.claimTtlMs,
        retentionMs: DEDUP_DEFAULTS.retentionMs,
        operationTimeoutMs: 300,
      });
      const admin = new Redis(paused.url);
      try {
        await admin.call('CLIENT', 'PAUSE', '2000', 'ALL');
        for (const [operation, call] of [
          ['claim', () => hung.claim('g', ['a', 'b'])],
          ['markDone', () => hung.markDone('g', ['a'])],
          ['release', () => hung.release('g', ['b'])],
        ] as const) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(DedupStoreUnavailableError);
          expect((error as DedupStoreUnavailableError).operation).toBe(operation);
        }
        await admin.call('CLIENT', 'UNPAUSE');
        await waitFor(() => hung.claim('g', ['later']), { message: 'claim after the pause' });
      } finally {
        await hung.close();
        admin.disconnect();
        await paused.stop();
      }
    });
  });

  it('tells the doctor what survives a Redis restart: none, snapshots or durable (AOF)', async () => {
    const server = await startRedisProcess(); // started with --save '' --appendonly no
    const store = await createDedupStore({ store: 'redis', url: server.url });
    const admin = new Redis(server.url);
    try {
      expect(await store.persistence?.()).toBe('none');
      await admin.config('SET', 'save', '3600 1');
      expect(await store.persistence?.()).toBe('snapshots');
      await admin.config('SET', 'appendonly', 'yes');
      expect(await store.persistence?.()).toBe('durable');
    } finally {
      await store.close();
      await admin.quit();
      await server.kill(); // with save points set, a SIGTERM would first try to write a snapshot
    }
  });
});
