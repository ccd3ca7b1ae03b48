import { Consumer, Producer } from 'kafkajs';
import { uniqueName, waitFor } from '../support';
import { useClientTestbed } from './support/client-testbed';
import { readTopic } from './support/read-topic';

/** Transactions (KIP-98) as a read_committed consumer sees them: only committed data, never past an open one. */
describe('transactions: visibility', () => {
  const bed = useClientTestbed({ brokers: 3 });

  async function createTopic(partitions: number): Promise<string> {
    const topic = uniqueName('txn');
    const admin = bed.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    return topic;
  }

  async function producer(transactionalId?: string): Promise<Producer> {
    const p = transactionalId
      ? bed.kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 })
      : bed.kafka.producer();
    bed.producers.push(p);
    await p.connect();
    return p;
  }

  const values = (records: ReadonlyArray<{ value: string | null }>): Array<string | null> =>
    records.map((r) => r.value);

  it('makes a committed transaction over several partitions visible to read_committed bed.consumers', async () => {
    const topic = await createTopic(3);
    const p = await producer(uniqueName('tx'));
    const txn = await p.transaction();
    const sent = Array.from({ length: 9 }, (_, i) => ({ partition: i % 3, value: `c${i}` }));
    await txn.send({ topic, messages: sent });
    await txn.commit();
    const read = await readTopic(bed.target.brokers, topic);
    expect(values(read).sort()).toEqual(sent.map((s) => s.value).sort());
    for (const r of read) expect(sent.find((s) => s.value === r.value)?.partition).toBe(r.partition);
  });

  it('hides an aborted transaction from read_committed bed.consumers; read_uncommitted ones see it', async () => {
    const topic = await createTopic(1);
    const plain = await producer();
    const p = await producer(uniqueName('tx'));
    await plain.send({ topic, messages: [{ value: 'before' }] });
    const aborted = await p.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
    await aborted.abort();
    const committed = await p.transaction();
    await committed.send({ topic, messages: [{ value: 'after' }] });
    await committed.commit();

    expect(values(await readTopic(bed.target.brokers, topic))).toEqual(['before', 'after']);
    expect(values(await readTopic(bed.target.brokers, topic, { readUncommitted: true }))).toEqual([
      'before',
      'aborted-1',
      'aborted-2',
      'after',
    ]);
  });

  it('shows nothing at or past an open transaction until it commits (last stable offset)', async () => {
    const topic = await createTopic(1);
    const plain = await producer();
    const p = await producer(uniqueName('tx'));
    await plain.send({ topic, messages: [{ value: 'a' }] });
    const txn = await p.transaction();
    await txn.send({ topic, messages: [{ value: 'b' }] });
    // Written after the open transaction and not part of it, yet also held back: the LSO is b's offset.
    await plain.send({ topic, messages: [{ value: 'c' }] });

    const seen = { committed: [] as string[], uncommitted: [] as string[] };
    let committedFetchesAfterA = 0;
    const start = async (readUncommitted: boolean, into: string[]): Promise<Consumer> => {
      const c = bed.kafka.consumer({ groupId: uniqueName('lso'), readUncommitted, maxWaitTimeInMs: 50 });
      bed.consumers.push(c);
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({ eachMessage: async ({ message }) => void into.push(String(message.value)) });
      return c;
    };
    const committedConsumer = await start(false, seen.committed);
    committedConsumer.on(committedConsumer.events.FETCH, () => {
      if (seen.committed.length > 0) committedFetchesAfterA++;
    });
    await start(true, seen.uncommitted);

    await waitFor(() => seen.uncommitted.length === 3, {
      message: () => `read_uncommitted saw ${seen.uncommitted}`,
    });
    await waitFor(() => committedFetchesAfterA >= 3, { message: 'read_committed consumer fetching past a' });
    expect(seen.committed).toEqual(['a']);

    await txn.commit();
    await waitFor(() => seen.committed.length === 3, {
      message: () => `read_committed saw ${seen.committed}`,
    });
    expect(seen.committed).toEqual(['a', 'b', 'c']);
    expect(seen.uncommitted).toEqual(['a', 'b', 'c']);
  });
});
