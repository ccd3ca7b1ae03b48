import { Producer } from 'kafkajs';
import { ApiKey, EmbeddedKafka } from '@nrk/embedded-broker';
import { requireEmbedded, uniqueName } from '../support';
import { useClientTestbed } from './support/client-testbed';
import { readTopic } from './support/read-topic';
import { TxnRawClient, buildRecordBatch } from './support/txn-raw-client';

const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;

/** Idempotent producer (KIP-98): per-partition sequence numbers make retries safe. */
describe('idempotent producer', () => {
  const bed = useClientTestbed({ brokers: 3, faults: true });

  async function createTopic(): Promise<string> {
    const topic = uniqueName('idem');
    const admin = bed.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 3 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    return topic;
  }

  async function idempotentProducer(): Promise<Producer> {
    const producer = bed.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    bed.producers.push(producer);
    await producer.connect();
    return producer;
  }

  /** A raw connection to the partition's leader, found through kafkajs' own metadata. */
  async function leaderClient(topic: string): Promise<TxnRawClient> {
    const admin = bed.kafka.admin();
    await admin.connect();
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const { brokers } = await admin.describeCluster();
    await admin.disconnect();
    const leader = brokers.find((b) => b.nodeId === meta.partitions[0].leader);
    if (!leader) throw new Error(`no leader for ${topic}`);
    const client = await TxnRawClient.connect(`${leader.host}:${leader.port}`);
    bed.rawClients.push(client);
    return client;
  }

  const values = (from: number, to: number): Array<{ value: string }> =>
    Array.from({ length: to - from }, (_, i) => ({ value: `m${from + i}` }));

  it('acknowledges a retried batch whose ack was lost with its original offset and stores it once', async () => {
    const embedded: EmbeddedKafka = requireEmbedded(bed.target);
    const topic = await createTopic();
    const producer = await idempotentProducer();
    await producer.send({ topic, acks: -1, messages: values(0, 5) });
    // The broker appends the next batch, then loses the response and closes the connection: kafkajs resends it
    // with the same producer id and sequence.
    embedded.faults.dropResponses({ apiKey: ApiKey.Produce, count: 1 });
    const [retried] = await producer.send({ topic, acks: -1, messages: values(5, 10) });
    expect(embedded.faults.requests.pending()).toBe(0);
    expect(retried.baseOffset).toBe('5');
    const [next] = await producer.send({ topic, acks: -1, messages: values(10, 15) });
    expect(next.baseOffset).toBe('10');

    const read = await readTopic(bed.target.brokers, topic);
    expect(read.map((r) => r.value)).toEqual(values(0, 15).map((v) => v.value));
    expect(read.map((r) => r.offset)).toEqual(read.map((_, i) => i));
  });

  it('still recognises the duplicate after the partition leader moved', async () => {
    const embedded: EmbeddedKafka = requireEmbedded(bed.target);
    const topic = await createTopic();
    const producer = await idempotentProducer();
    await producer.send({ topic, acks: -1, messages: values(0, 3) });
    const p = embedded.cluster.partition(topic, 0);
    if (!p) throw new Error('partition missing');
    const oldLeader = p.leader;
    const newLeader = p.isr.find((r) => r !== oldLeader) as number;
    // Lose the ack of the next batch and move leadership before kafkajs retries: the new leader must know the
    // producer's sequence from replication, as Kafka's replicated producer state does.
    embedded.faults.dropResponses({ apiKey: ApiKey.Produce, count: 1, brokerId: oldLeader });
    const sending = producer.send({ topic, acks: -1, messages: values(3, 6) });
    const waitForDrop = async (): Promise<void> => {
      while (embedded.faults.requests.pending() > 0) await new Promise((r) => setImmediate(r));
    };
    await waitForDrop();
    embedded.faults.moveLeader(topic, 0, newLeader);
    const [retried] = await sending;
    expect(retried.baseOffset).toBe('3');

    const read = await readTopic(bed.target.brokers, topic);
    expect(read.map((r) => r.value)).toEqual(values(0, 6).map((v) => v.value));
  });

  it('rejects a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER and keeps accepting the expected sequence', async () => {
    const topic = await createTopic();
    const client = await leaderClient(topic);
    const pid = await client.initProducerId();
    expect(pid.errorCode).toBe(0);
    const batch = (baseSequence: number, vs: string[]): Buffer =>
      buildRecordBatch({
        producerId: pid.producerId,
        producerEpoch: pid.producerEpoch,
        baseSequence,
        values: vs,
      });

    expect(await client.produce(topic, 0, batch(0, ['a', 'b', 'c']))).toEqual({
      errorCode: 0,
      baseOffset: 0,
    });
    // Sequences 3 and 4 never arrived: 5 is a gap.
    const gap = await client.produce(topic, 0, batch(5, ['f']));
    expect(gap.errorCode).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await client.produce(topic, 0, batch(3, ['d', 'e']))).toEqual({ errorCode: 0, baseOffset: 3 });
    // The same batch again is a duplicate: acknowledged with its first offset, not stored twice.
    expect(await client.produce(topic, 0, batch(3, ['d', 'e']))).toEqual({ errorCode: 0, baseOffset: 3 });
    expect(await client.produce(topic, 0, batch(5, ['f']))).toEqual({ errorCode: 0, baseOffset: 5 });

    const read = await readTopic(bed.target.brokers, topic);
    expect(read.map((r) => r.value)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
