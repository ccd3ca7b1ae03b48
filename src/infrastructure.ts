import { EmbeddedKafka } from '@nrk/embedded-broker';
import type { DedupOptions } from 'nestjs-reliable-kafka';
import { DataSource } from 'typeorm';
import { OrderEntity } from './order.entity';

/** The servers a run uses: given by the environment, else embedded in this process. */
export interface Infrastructure {
  brokers: string[];
  dataSource: DataSource;
  dedup: DedupOptions;
  /** Whether the handler's writes share the dedup transaction. */
  transactional: boolean;
  /** One line per choice made, printed at startup. */
  notes: string[];
  stop(): Promise<void>;
}

/** KAFKA_BROKERS, DATABASE_URL, REDIS_URL when set; otherwise the embedded broker, PGlite and the Postgres store. */
export async function startInfrastructure(env: NodeJS.ProcessEnv): Promise<Infrastructure> {
  const notes: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const brokers = await kafka(env, notes, stops);
    const dataSource = await database(env, notes, stops);
    const { dedup, transactional } = await dedupChoice(env, dataSource, notes);
    return { brokers, dataSource, dedup, transactional, notes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function kafka(
  env: NodeJS.ProcessEnv,
  notes: string[],
  stops: Array<() => Promise<void>>,
): Promise<string[]> {
  const external = env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (external?.length) {
    notes.push(`Kafka: ${external.join(',')} (KAFKA_BROKERS)`);
    return external;
  }
  const cluster = await EmbeddedKafka.start({ brokers: 1, log: () => undefined });
  stops.push(() => cluster.stop());
  notes.push(
    `Kafka: embedded broker at ${cluster.bootstrapServers.join(',')} (set KAFKA_BROKERS for a real cluster)`,
  );
  return cluster.bootstrapServers;
}

async function database(
  env: NodeJS.ProcessEnv,
  notes: string[],
  stops: Array<() => Promise<void>>,
): Promise<DataSource> {
  const common = { entities: [OrderEntity], synchronize: true };
  const url = env.DATABASE_URL?.trim();
  let dataSource: DataSource;
  if (url) {
    dataSource = new DataSource({ type: 'postgres', url, ...common });
    notes.push(`Postgres: ${url.replace(/\/\/[^@]*@/, '//***@')} (DATABASE_URL)`);
  } else {
    // loaded lazily: PGlite is an ES module with a WebAssembly build, only needed for the embedded default
    const { PGliteDriver } = await import('typeorm-pglite');
    dataSource = new DataSource({ type: 'postgres', driver: new PGliteDriver().driver, ...common });
    notes.push('Postgres: embedded PGlite, in memory (set DATABASE_URL for a real server)');
  }
  await dataSource.initialize();
  stops.push(() => dataSource.destroy());
  return dataSource;
}

async function dedupChoice(env: NodeJS.ProcessEnv, dataSource: DataSource, notes: string[]) {
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl) {
    notes.push('Dedup: Redis store (REDIS_URL); orders written in their own transaction after the claim');
    return { dedup: { store: 'redis', url: redisUrl } as DedupOptions, transactional: false };
  }
  try {
    await dataSource.query('SELECT unnest($1::text[])', [['probe']]); // what the Postgres store relies on
    notes.push('Dedup: Postgres store, transactional (orders and dedup rows commit together)');
    return { dedup: { store: 'postgres', dataSource } as DedupOptions, transactional: true };
  } catch (error) {
    notes.push(
      `Dedup: in-process memory store (NOT durable): the database cannot serve the Postgres store (${
        (error as Error).message
      })`,
    );
    return { dedup: { store: 'memory' } as DedupOptions, transactional: false };
  }
}
