import Redis from 'ioredis';
import { createDedupStore } from '../libs/reliable-kafka/src/dedup';
import { startServices } from './support/services';
import { printTable } from './support/table';

/**
 * What Redis dedup costs per message id, apart from Kafka: the store's claim (windows of 1000 ids, as claim-ahead
 * makes them) and markDone (chunks of 100, pipelined, as chunk settlements send them) for BENCH_IDS ids, with the
 * CPU Redis itself reports (INFO cpu) and this client's CPU. Scenario 1's Redis contender cannot go faster than
 * Redis can do this work on the cores it shares with the broker and the consumer.
 * `npx tsx bench/redis-dedup-cost.bench.ts` (REDIS_URL, else a private redis-server from scripts/services.sh).
 */
const IDS = Number(process.env.BENCH_IDS ?? 200_000);
const WINDOW = 1000;
const CHUNK = 100;

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function main(): Promise<void> {
  const services = await startServices();
  const keyPrefix = `bench-dedup-cost-${Date.now()}`;
  const store = await createDedupStore({ store: 'redis', url: services.redisUrl, keyPrefix });
  const probe = new Redis(services.redisUrl);
  try {
    const ids = Array.from({ length: IDS }, (_, i) => `${keyPrefix}-message-${i}`);
    const redisCpu0 = await redisCpuSeconds(probe);
    const clientCpu0 = process.cpuUsage();
    const started = performance.now();
    for (let w = 0; w < IDS; w += WINDOW) {
      await store.claim('bench', ids.slice(w, w + WINDOW));
      const marks: Promise<void>[] = [];
      for (let c = w; c < Math.min(w + WINDOW, IDS); c += CHUNK)
        marks.push(store.markDone('bench', ids.slice(c, c + CHUNK)));
      await Promise.all(marks);
    }
    const wallS = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientCpu0);
    const clientS = (client.user + client.system) / 1e6;
    const redisS = (await redisCpuSeconds(probe)) - redisCpu0;
    const perId = (seconds: number): string => `${((seconds / IDS) * 1e6).toFixed(2)} us`;
    printTable('Redis dedup cost per id (claim + markDone through RedisDedupStore)', [
      [
        'ids (claimed, then marked done)',
        'wall',
        'ids/s',
        'Redis CPU',
        'Redis CPU per id',
        'client CPU per id',
      ],
      [
        IDS.toLocaleString('en-US'),
        `${wallS.toFixed(2)} s`,
        Math.round(IDS / wallS).toLocaleString('en-US'),
        `${redisS.toFixed(2)} s`,
        perId(redisS),
        perId(clientS),
      ],
    ]);
  } finally {
    await store.close();
    await probe.quit();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
