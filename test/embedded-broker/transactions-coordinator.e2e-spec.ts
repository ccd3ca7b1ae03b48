import { Offsets, Producer } from 'kafkajs';
import { requireEmbedded, uniqueName, waitFor } from '../support';
import { useClientTestbed } from './support/client-testbed';
import { readTopic } from './support/read-topic';
import { TxnRawClient } from './support/txn-raw-client';

const NOT_COORDINATOR = 16;

/** The transaction coordinator: offsets inside transactions, fencing of zombie bed.producers, timeouts, routing. */
describe('transactions: coordinator', () => {
  const bed = useClientTestbed({ brokers: 3, faults: true, retries: 3 });

  async function createTopic(partitions = 1): Promise<string> {
    const topic = uniqueName('txc');
    const admin = bed.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    return topic;
  }

  async function producer(transactionalId?: string, transactionTimeout?: number): Promise<Producer> {
    const p = transactionalId
      ? bed.kafka.producer({ transactionalId, transactionTimeout, idempotent: true, maxInFlightRequests: 1 })
      : bed.kafka.producer();
    bed.producers.push(p);
    await p.connect();
    return p;
  }

  async function committedOffset(groupId: string, topic: string): Promise<string> {
    const admin = bed.kafka.admin();
    await admin.connect();
    try {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return t.partitions[0].offset;
    } finally {
      await admin.disconnect();
    }
  }

  it('commits offsets sent inside a transaction (consume-transform-produce) only when the transaction commits', async () => {
    const input = await createTopic();
    const output = await createTopic();
    const groupId = uniqueName('ctp');
    const plain = await producer();
    await plain.send({ topic: input, messages: ['in-0', 'in-1', 'in-2'].map((value) => ({ value })) });
    const p = await producer(uniqueName('tx'));
    const offsets = (offset: string): Offsets & { consumerGroupId: string } => ({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset }] }],
    });

    const aborted = await p.transaction();
    await aborted.send({ topic: output, messages: [{ value: 'out-0' }, { value: 'out-1' }] });
    await aborted.sendOffsets(offsets('2'));
    await aborted.abort();
    expect(await committedOffset(groupId, input)).toBe('-1');

    const committed = await p.transaction();
    await committed.send({ topic: output, messages: [{ value: 'out-0' }, { value: 'out-1' }] });
    await committed.sendOffsets(offsets('2'));
    await committed.commit();
    expect(await committedOffset(groupId, input)).toBe('2');
    expect((await readTopic(bed.target.brokers, output)).map((r) => r.value)).toEqual(['out-0', 'out-1']);

    // A consumer of the group resumes after what the committed transaction consumed.
    const consumer = bed.kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: input, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
      await waitFor(() => seen.length >= 1, { message: 'group consumer reading input' });
      expect(seen).toEqual(['in-2']);
    } finally {
      await consumer.disconnect();
    }
  });

  it('fences the first producer when a second one initialises the same transactional id', async () => {
    const topic = await createTopic();
    const transactionalId = uniqueName('tx');
    const zombie = await producer(transactionalId);
    const zombieTxn = await zombie.transaction();
    await zombieTxn.send({ topic, messages: [{ value: 'zombie-1' }] });

    // kafkajs sends InitProducerId for the transactional id when the first transaction begins.
    const successor = await producer(transactionalId);
    const txn = await successor.transaction();
    await expect(zombieTxn.send({ topic, messages: [{ value: 'zombie-2' }] })).rejects.toThrow(/epoch/i);
    await expect(zombieTxn.commit()).rejects.toThrow(/epoch/i);

    await txn.send({ topic, messages: [{ value: 'successor' }] });
    await txn.commit();
    // The zombie's open transaction was aborted when the successor took over.
    expect((await readTopic(bed.target.brokers, topic)).map((r) => r.value)).toEqual(['successor']);
    expect(
      (await readTopic(bed.target.brokers, topic, { readUncommitted: true })).map((r) => r.value),
    ).toEqual(['zombie-1', 'successor']);
  });

  it('aborts a transaction that exceeds its timeout, fencing its producer and releasing the LSO', async () => {
    const embedded = requireEmbedded(bed.target);
    const topic = await createTopic();
    const transactionalId = uniqueName('tx');
    const slow = await producer(transactionalId, 1000);
    const txn = await slow.transaction();
    await txn.send({ topic, messages: [{ value: 'too-late' }] });
    await waitFor(() => embedded.coordinators.txns.describe(transactionalId)?.state === 'CompleteAbort', {
      message: 'coordinator aborting the timed-out transaction',
    });
    await expect(txn.commit()).rejects.toThrow(/epoch/i);
    const plain = await producer();
    await plain.send({ topic, messages: [{ value: 'later' }] });
    expect((await readTopic(bed.target.brokers, topic)).map((r) => r.value)).toEqual(['later']);
  });

  it('keeps an open transaction across the death of its coordinator broker and commits it through the next one', async () => {
    const embedded = requireEmbedded(bed.target);
    const topic = await createTopic(3);
    const transactionalId = uniqueName('tx');
    const p = await producer(transactionalId);
    const txn = await p.transaction();
    await txn.send({
      topic,
      messages: [0, 1, 2].map((partition) => ({ partition, value: `p${partition}` })),
    });
    const coordinator = embedded.coordinators.coordinatorFor(transactionalId);
    await embedded.faults.killBroker(coordinator);
    try {
      expect(embedded.coordinators.coordinatorFor(transactionalId)).not.toBe(coordinator);
      await txn.commit();
      const read = await readTopic(bed.target.brokers, topic);
      expect(read.map((r) => r.value).sort()).toEqual(['p0', 'p1', 'p2']);
    } finally {
      await embedded.faults.restartBroker(coordinator);
    }
  });

  it('answers NOT_COORDINATOR for a transactional id this broker does not coordinate', async () => {
    const embedded = requireEmbedded(bed.target);
    const transactionalId = uniqueName('tx');
    const owner = embedded.coordinators.coordinatorFor(transactionalId);
    const brokers = [...embedded.cluster.brokers.values()];
    const other = brokers.find((b) => b.id !== owner);
    const mine = brokers.find((b) => b.id === owner);
    if (!other || !mine) throw new Error('needs two brokers');
    const wrong = await TxnRawClient.connect(`${other.host}:${other.port}`);
    const right = await TxnRawClient.connect(`${mine.host}:${mine.port}`);
    bed.rawClients.push(wrong, right);
    expect((await wrong.initProducerId(transactionalId)).errorCode).toBe(NOT_COORDINATOR);
    const first = await right.initProducerId(transactionalId);
    const second = await right.initProducerId(transactionalId);
    expect(first.errorCode).toBe(0);
    expect(second).toEqual({
      errorCode: 0,
      producerId: first.producerId,
      producerEpoch: first.producerEpoch + 1,
    });
  });
});
