import { waitFor } from '../../support';
import type { ConformanceRow } from './conformance-row';
import { KafkaError } from './kafka-errors';
import { faultCluster } from './fault-cluster';
import { plainBatch, produce, ProduceResult } from './raw-produce';

const DELAYED_PRODUCE =
  'core/.../server/DelayedProduce.scala tryComplete; core/.../cluster/Partition.scala checkEnoughReplicasReachOffset';

export const ACKS_ROWS: ConformanceRow[] = [
  {
    id: 'A01',
    title: 'acks=-1 waiting on the old leader when leadership moves to a lagging in-sync follower',
    expected: 'NOT_LEADER_OR_FOLLOWER, never NONE for a record the new leader lacks',
    source: `${DELAYED_PRODUCE} (no longer leader: NOT_LEADER_OR_FOLLOWER)`,
    embeddedOnly: 'moves the leader while followers lag',
    timeoutMs: 20_000,
    run: async (ctx) => {
      const f = await faultCluster(ctx);
      f.cluster.faults.setReplicationLag(1, 1_500);
      f.cluster.faults.setReplicationLag(2, 1_500);
      const old = await f.connect(0);
      const pending = produce(old, { topic: f.topic, records: plainBatch(['r1']), timeoutMs: 10_000 });
      const p = f.cluster.cluster.partition(f.topic, 0);
      await waitFor(() => p?.logs.get(0)?.logEndOffset === 1, { message: 'r1 appended on the leader' });
      f.cluster.faults.moveLeader(f.topic, 0, 1);
      // Other writes push the new leader's high watermark past r1's offset.
      const next = await f.connect(1);
      await produce(next, { topic: f.topic, records: plainBatch(['o1', 'o2']), acks: -1 });
      expect((await pending).errorCode).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
    },
  },
  {
    id: 'A02',
    title: 'acks=-1 waiting when leadership moves to a follower that does hold the record',
    expected: 'NOT_LEADER_OR_FOLLOWER (the old leader can no longer tell; an idempotent retry resolves it)',
    source: DELAYED_PRODUCE,
    embeddedOnly: 'isolates a follower and moves the leader',
    timeoutMs: 20_000,
    run: async (ctx) => {
      const f = await faultCluster(ctx);
      // Follower 1 replicates at once, follower 2 not at all (but stays in the ISR): the HW stays at 0.
      f.cluster.faults.isolateFollower(f.topic, 0, 2);
      const old = await f.connect(0);
      const pending = produce(old, { topic: f.topic, records: plainBatch(['r1']), timeoutMs: 10_000 });
      const p = f.cluster.cluster.partition(f.topic, 0);
      await waitFor(() => p?.logs.get(1)?.logEndOffset === 1, { message: 'r1 on follower 1' });
      f.cluster.faults.moveLeader(f.topic, 0, 1);
      f.cluster.faults.reconnectFollower(f.topic, 0, 2);
      expect((await pending).errorCode).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
    },
  },
  {
    id: 'A03',
    title: 'acks=-1 not replicated within the request timeout',
    expected: 'REQUEST_TIMED_OUT',
    source: `${DELAYED_PRODUCE} (initial status REQUEST_TIMED_OUT, onExpiration)`,
    embeddedOnly: 'isolates the followers',
    run: async (ctx) => {
      const f = await faultCluster(ctx);
      f.cluster.faults.isolateFollower(f.topic, 0, 1);
      f.cluster.faults.isolateFollower(f.topic, 0, 2);
      const r = await produce(await f.connect(0), {
        topic: f.topic,
        records: plainBatch(['x']),
        timeoutMs: 300,
      });
      expect(r.errorCode).toBe(KafkaError.REQUEST_TIMED_OUT);
    },
  },
  {
    id: 'A04',
    title: 'acks=-1 when the ISR is smaller than min.insync.replicas',
    expected: 'NOT_ENOUGH_REPLICAS, nothing appended',
    source: 'core/.../cluster/Partition.scala appendRecordsToLeader',
    run: async (ctx) => {
      // min.insync.replicas above the replication factor: the ISR can never be large enough.
      const topic = await ctx.createTopic({ replicationFactor: 1, configs: { 'min.insync.replicas': '2' } });
      const r = await produce(await ctx.leader(topic), { topic, records: plainBatch(['x']) });
      expect(r.errorCode).toBe(KafkaError.NOT_ENOUGH_REPLICAS);
      expect(Number((await ctx.admin.fetchTopicOffsets(topic))[0].high)).toBe(0);
    },
  },
  {
    id: 'A05',
    title: 'acks=-1 waiting while the ISR shrinks below min.insync.replicas',
    expected: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    source: `${DELAYED_PRODUCE} (hasEnough with minIsr > ISR size)`,
    embeddedOnly: 'isolates a follower until it leaves the ISR',
    timeoutMs: 20_000,
    run: async (ctx) => {
      const f = await faultCluster(ctx, { settings: { replicaLagTimeMaxMs: 300 }, replicas: [0, 1] });
      f.cluster.faults.isolateFollower(f.topic, 0, 1);
      const r: ProduceResult = await produce(await f.connect(0), {
        topic: f.topic,
        records: plainBatch(['x']),
        timeoutMs: 10_000,
      });
      expect(r.errorCode).toBe(KafkaError.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    },
  },
];
