import { Kafka, logLevel, type Producer } from 'kafkajs';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { uniqueName, waitFor } from '../support';
import { readTopic } from './support/read-topic';

/**
 * Acknowledged writes across a leader failover, with kafkajs itself: RF 3, min.insync.replicas 2, followers
 * lagging, the leader killed while an idempotent acks=-1 send is in flight. kafkajs retries the batch (same records,
 * same sequence) on the new leader, which never received it: a broker with shared producer state took that retry
 * for a duplicate and acknowledged it at an offset other records then filled. Each replica's own producer state
 * appends it. The idempotent producer sends one batch at a time, so kafkajs' own sequence handling on failures
 * (it reuses the sequence for the same records) cannot blur what the broker does.
 */
describe('acks=-1 across a leader failover (kafkajs idempotent producer)', () => {
  let cluster: EmbeddedKafka;
  const producers: Producer[] = [];

  beforeEach(async () => {
    // Followers lag 1 s but stay in the ISR (10 s allowed), as slow but healthy replicas do.
    cluster = await EmbeddedKafka.start({ brokers: 3, settings: { replicaLagTimeMaxMs: 10_000 } });
  });
  afterEach(async () => {
    for (const p of producers.splice(0)) await p.disconnect().catch(() => undefined);
    await cluster.stop();
  });

  async function producer(kafka: Kafka, idempotent: boolean): Promise<Producer> {
    const p = kafka.producer(idempotent ? { idempotent: true, maxInFlightRequests: 1 } : {});
    producers.push(p);
    await p.connect();
    return p;
  }

  it('leaves every acknowledged record in the log at the offset it was acknowledged with', async () => {
    const topic = uniqueName('failover');
    const created = cluster.cluster.createTopic({
      name: topic,
      numPartitions: 1,
      replicationFactor: 3,
      assignments: [[0, 1, 2]],
      configs: { 'min.insync.replicas': '2' },
    });
    if (!created.ok) throw new Error(created.message);
    const kafka = new Kafka({
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 10, initialRetryTime: 100 },
    });
    const idempotent = await producer(kafka, true);
    const other = await producer(kafka, false);
    const acked: Array<{ value: string; offset: number }> = [];
    const send = async (p: Producer, value: string): Promise<void> => {
      const [meta] = await p.send({ topic, acks: -1, messages: [{ key: value, value }] });
      acked.push({ value, offset: Number(meta.baseOffset) });
    };

    await send(idempotent, 'k0');
    cluster.faults.setReplicationLag(1, 1_000);
    cluster.faults.setReplicationLag(2, 1_000);
    const inFlight = send(idempotent, 'k1');
    const partition = cluster.cluster.partition(topic, 0);
    await waitFor(() => partition?.logs.get(0)?.logEndOffset === 2, { message: 'k1 on the leader only' });
    await cluster.faults.killBroker(0);
    // Other producers go on writing to the new leader while kafkajs retries k1 there.
    await send(other, 'o1');
    await send(other, 'o2');
    await inFlight;

    const live = cluster.bootstrapServers.slice(1);
    const log = new Map((await readTopic(live, topic)).map((r) => [r.offset, r.value]));
    expect(acked.map((a) => [a.offset, log.get(a.offset)])).toEqual(acked.map((a) => [a.offset, a.value]));
    expect([...log.values()].sort()).toEqual(['k0', 'k1', 'o1', 'o2']);
  });
});
