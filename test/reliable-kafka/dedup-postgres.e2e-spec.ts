import { DataSource } from 'typeorm';
import {
  createDedupStore,
  DedupStoreUnavailableError,
  isTransactionalDedupStore,
  type TransactionalDedupStore,
} from '../../libs/reliable-kafka/src/dedup';
import { requireEnv } from '../support/env';
import { uniqueSqlName } from '../support/unique-name';
import { dedupStoreContract } from './dedup-store-contract';

const DATABASE_URL = requireEnv('DATABASE_URL');

describe('Postgres dedup store (real Postgres)', () => {
  const dataSources: DataSource[] = [];
  const tableName = uniqueSqlName('dedup_contract');
  const openDataSource = async () => {
    const ds = await new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 4 }).initialize();
    dataSources.push(ds);
    return ds;
  };
  afterAll(async () => {
    const [first] = dataSources;
    await first?.query(`DROP TABLE IF EXISTS "${tableName}", "${txTable}", "${txEffects}"`);
    await Promise.all(dataSources.map((ds) => ds.destroy()));
  });

  // each store gets its own DataSource (pool) so concurrent claims really race on the server
  dedupStoreContract(async (claimTtlMs) =>
    createDedupStore({ store: 'postgres', dataSource: await openDataSource(), tableName, claimTtlMs }),
  );

  const txTable = uniqueSqlName('dedup_tx');
  const txEffects = uniqueSqlName('effects');
  describe('transactional mode', () => transactionalContract(openDataSource, txTable, txEffects));

  it('creates its table only when missing (a second store on the same table keeps the rows)', async () => {
    const ds = await openDataSource();
    const table = uniqueSqlName('dedup_twice');
    const first = await createDedupStore({ store: 'postgres', dataSource: ds, tableName: table });
    await first.claim('g', ['kept']);
    await first.markDone('g', ['kept']);
    const second = await createDedupStore({ store: 'postgres', dataSource: ds, tableName: table });
    expect(await second.claim('g', ['kept'])).toEqual(['done']);
    await ds.query(`DROP TABLE "${table}"`);
  });

  it('rejects a table name that is not a plain identifier', async () => {
    const ds = await openDataSource();
    await expect(
      createDedupStore({ store: 'postgres', dataSource: ds, tableName: 'x; DROP TABLE y' }),
    ).rejects.toThrow(/dedup.tableName/);
  });

  it('rejects with DedupStoreUnavailableError when the database is gone', async () => {
    const ds = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
    const table = uniqueSqlName('dedup_gone');
    const store = await createDedupStore({ store: 'postgres', dataSource: ds, tableName: table });
    await ds.query(`DROP TABLE "${table}"`);
    await ds.destroy();
    const error = await store.claim('g', ['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DedupStoreUnavailableError);
    expect((error as DedupStoreUnavailableError).store).toBe('postgres');
    await expect(store.ping()).rejects.toBeInstanceOf(DedupStoreUnavailableError);
  });
});

/** Handler writes and the dedup row commit together; a throw rolls both back. */
function transactionalContract(
  open: () => Promise<DataSource>,
  tableName: string,
  effectsTable: string,
): void {
  let store: TransactionalDedupStore;
  let ds: DataSource;
  beforeAll(async () => {
    ds = await open();
    const created = await createDedupStore({ store: 'postgres', dataSource: ds, tableName });
    if (!isTransactionalDedupStore(created)) throw new Error('postgres store must be transactional');
    store = created;
    await ds.query(
      `CREATE TABLE IF NOT EXISTS "${effectsTable}" (id text PRIMARY KEY, n int NOT NULL DEFAULT 1)`,
    );
  });
  const effects = async (ids: string[]) =>
    (await ds.query(`SELECT id FROM "${effectsTable}" WHERE id = ANY($1::text[]) ORDER BY id`, [ids])).map(
      (r: { id: string }) => r.id,
    );
  /** A handler that writes one effect row per claimed id in the store's transaction. */
  const handle = (ids: string[], fail = false) =>
    store.runInTransaction('billing', ids, async (manager, statuses) => {
      for (const [i, id] of ids.entries()) {
        if (statuses[i] !== 'claimed') continue;
        await manager.query(`INSERT INTO "${effectsTable}" (id) VALUES ($1)`, [id]);
      }
      if (fail) throw new Error('handler failed');
      return statuses;
    });

  it('commits the effects and the done rows together; a redelivery is reported done and writes nothing', async () => {
    expect(await handle(['t1', 't2'])).toEqual(['claimed', 'claimed']);
    expect(await effects(['t1', 't2'])).toEqual(['t1', 't2']);
    expect(await handle(['t2', 't1', 't3'])).toEqual(['done', 'done', 'claimed']); // would hit the PK if not suppressed
    expect(await effects(['t1', 't2', 't3'])).toEqual(['t1', 't2', 't3']);
    expect(await store.claim('billing', ['t1'])).toEqual(['done']);
  });

  it('rolls back the effects and the claim when the handler throws, so the id is processed again', async () => {
    await expect(handle(['r1', 'r2'], true)).rejects.toThrow('handler failed');
    expect(await effects(['r1', 'r2'])).toEqual([]);
    expect(await handle(['r1', 'r2'])).toEqual(['claimed', 'claimed']);
    expect(await effects(['r1', 'r2'])).toEqual(['r1', 'r2']);
  });

  it('lets only one of two concurrent transactions apply the effect of an id', async () => {
    const results = await Promise.all([handle(['c1', 'c2']), handle(['c2', 'c1'])]);
    expect(await effects(['c1', 'c2'])).toEqual(['c1', 'c2']); // PK on effects: a second insert would have thrown
    const claimedC1 = [results[0][0], results[1][1]].filter((s) => s === 'claimed').length;
    const claimedC2 = [results[0][1], results[1][0]].filter((s) => s === 'claimed').length;
    expect([claimedC1, claimedC2]).toEqual([1, 1]);
  });

  it('passes a handler error through unchanged (not as a store error)', async () => {
    const error = await handle(['e1'], true).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DedupStoreUnavailableError);
  });
}
