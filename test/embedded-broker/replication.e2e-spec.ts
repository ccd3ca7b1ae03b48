import { Kafka, logLevel, Producer } from 'kafkajs';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { uniqueName, waitFor } from '../support';

/**
 * The replication model and the broker-side data loss Kafka users fear, reproduced on purpose. These tests
 * inject faults, so they always run on their own embedded cluster.
 */
describe('replication, acks and leader election', () => {
  let cluster: EmbeddedKafka;
  let kafka: Kafka;
  const producers: Producer[] = [];

  beforeEach(async () => {
    cluster = await EmbeddedKafka.start({ brokers: 3, settings: { replicaLagTimeMaxMs: 300 } });
    kafka = new Kafka({
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 50 },
    });
  });
  afterEach(async () => {
    await Promise.all(producers.splice(0).map((p) => p.disconnect().catch(() => undefined)));
    await cluster.stop();
  });

  async function producer(): Promise<Producer> {
    const p = kafka.producer({ retry: { retries: 1, initialRetryTime: 50 } });
    await p.connect();
    producers.push(p);
    return p;
  }

  function topicWith(configs: Record<string, string>, replicas = [0, 1, 2]): string {
    const name = uniqueName('repl');
    const r = cluster.cluster.createTopic({
      name,
      numPartitions: 1,
      replicationFactor: replicas.length,
      configs,
      assignments: [replicas],
    });
    if (!r.ok) throw new Error(r.message);
    return name;
  }

  const values = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ key: 'k', value: `${tag}-${i}` }));
  const partition = (topic: string) => cluster.cluster.partition(topic, 0)!;

  it('reports leader, replicas and ISR in metadata', async () => {
    const topic = topicWith({});
    const admin = kafka.admin();
    await admin.connect();
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(md.topics[0].partitions[0]).toMatchObject({ leader: 0, replicas: [0, 1, 2], isr: [0, 1, 2] });
  });

  it('acks=-1 answers only after every in-sync follower has the batch', async () => {
    const topic = topicWith({ 'min.insync.replicas': '2' });
    cluster.faults.setReplicationLag(1, 150);
    cluster.faults.setReplicationLag(2, 150);
    const p = await producer();
    let acked = false;
    const send = p.send({ topic, acks: -1, messages: values(1, 'a') }).then(() => (acked = true));
    await waitFor(() => partition(topic).logEndOffset === 1, { message: 'leader appended' });
    expect(partition(topic).highWatermark).toBe(0);
    expect(acked).toBe(false);
    await send;
    expect(partition(topic).highWatermark).toBe(1);
    for (const id of [1, 2]) expect(partition(topic).logs.get(id)!.logEndOffset).toBe(1);
  });

  it('acks=-1 is refused with NOT_ENOUGH_REPLICAS when the ISR is smaller than min.insync.replicas', async () => {
    const topic = topicWith({ 'min.insync.replicas': '2' });
    cluster.faults.isolateFollower(topic, 0, 1);
    cluster.faults.isolateFollower(topic, 0, 2);
    const p = await producer();
    // The first record pushes the leader ahead; the isolated followers leave the ISR after replica.lag.time.max.ms.
    await p.send({ topic, acks: 1, messages: values(1, 'x') });
    await waitFor(() => partition(topic).isr.length === 1, { message: 'ISR shrank to the leader' });
    await expect(p.send({ topic, acks: -1, messages: values(1, 'y') })).rejects.toThrow(
      /fewer in-sync replicas than required/,
    );
    expect(partition(topic).logEndOffset).toBe(1);
    cluster.faults.reconnectFollower(topic, 0, 1);
    await waitFor(() => partition(topic).isr.length === 2, { message: 'follower 1 back in the ISR' });
    await expect(p.send({ topic, acks: -1, messages: values(1, 'z') })).resolves.toBeDefined();
  });

  it('acks=1 loses acknowledged records when the leader dies before replicating (clean election)', async () => {
    const topic = topicWith({ 'min.insync.replicas': '1' });
    cluster.faults.setReplicationLag(1, 60_000);
    cluster.faults.setReplicationLag(2, 60_000);
    const p = await producer();
    const [meta] = await p.send({ topic, acks: 1, messages: values(10, 'acked') });
    expect(meta.baseOffset).toBe('0');
    await cluster.faults.killBroker(0);
    const part = partition(topic);
    expect(part.leader).not.toBe(0);
    expect(part.leader).not.toBe(-1);
    // The new leader never got the 10 acknowledged records: they are gone.
    expect(part.logEndOffset).toBe(0);
    await cluster.faults.restartBroker(0);
    await waitFor(() => part.isr.includes(0), { message: 'old leader rejoined' });
    expect(part.logs.get(0)!.logEndOffset).toBe(0);
  });

  it('acks=-1 with min.insync.replicas=2 loses nothing acknowledged when the leader dies', async () => {
    const topic = topicWith({ 'min.insync.replicas': '2' });
    cluster.faults.setReplicationLag(1, 50);
    cluster.faults.setReplicationLag(2, 50);
    const p = await producer();
    const [meta] = await p.send({ topic, acks: -1, messages: values(10, 'safe') });
    expect(meta.baseOffset).toBe('0');
    await cluster.faults.killBroker(0);
    expect(partition(topic).leader).not.toBe(0);
    expect(partition(topic).logEndOffset).toBe(10);
    const kafka2 = new Kafka({ brokers: cluster.bootstrapServers.slice(1), logLevel: logLevel.NOTHING });
    const admin = kafka2.admin();
    await admin.connect();
    expect((await admin.fetchTopicOffsets(topic))[0].high).toBe('10');
    await admin.disconnect();
  });

  it('clean election: with no live ISR member the partition goes offline, and comes back intact', async () => {
    const topic = topicWith(
      { 'min.insync.replicas': '1', 'unclean.leader.election.enable': 'false' },
      [0, 1],
    );
    cluster.faults.isolateFollower(topic, 0, 1);
    const p = await producer();
    await p.send({ topic, acks: -1, messages: values(5, 'only-on-leader') });
    await waitFor(() => partition(topic).isr.join() === '0', { message: 'follower dropped out of ISR' });
    await cluster.faults.killBroker(0);
    expect(partition(topic).leader).toBe(-1);
    await expect(p.send({ topic, acks: -1, messages: values(1, 'while-offline') })).rejects.toThrow();
    await cluster.faults.restartBroker(0);
    await waitFor(() => partition(topic).leader === 0, { message: 'last ISR member leads again' });
    expect(partition(topic).logEndOffset).toBe(5);
  });

  it('unclean election: an out-of-sync replica becomes leader and acknowledged records are lost for good', async () => {
    const topic = topicWith({ 'min.insync.replicas': '1', 'unclean.leader.election.enable': 'true' }, [0, 1]);
    cluster.faults.isolateFollower(topic, 0, 1);
    const p = await producer();
    await p.send({ topic, acks: -1, messages: values(5, 'acked') });
    await waitFor(() => partition(topic).isr.join() === '0', { message: 'follower dropped out of ISR' });
    await cluster.faults.killBroker(0);
    expect(partition(topic).leader).toBe(1);
    expect(partition(topic).logEndOffset).toBe(0);
    await p.send({ topic, acks: -1, messages: values(2, 'after') });
    await cluster.faults.restartBroker(0);
    // The old leader truncates its diverged log and follows: the 5 acked records are gone everywhere.
    await waitFor(() => partition(topic).isr.includes(0), { message: 'old leader rejoined as follower' });
    expect(partition(topic).logs.get(0)!.logEndOffset).toBe(2);
    expect(partition(topic).logEndOffset).toBe(2);
  });
});
