import { waitFor } from '../../support';
import { readTopic } from '../support/read-topic';
import type { ConformanceContext, ConformanceRow, RowHead } from './conformance-row';
import { KafkaError } from './kafka-errors';
import { createEmbeddedTopic, faultCluster, initIdempotent } from './fault-cluster';
import { idempotentBatch, produce, sendProduce } from './raw-produce';
import type { RawConnection } from '../support/raw-connection';

const APPEND_INFO = 'storage/.../log/ProducerAppendInfo.java checkSequence / checkProducerEpoch';
const STATE_ENTRY = 'storage/.../log/ProducerStateEntry.java (NUM_BATCHES_TO_RETAIN = 5, findDuplicateBatch)';
const NONE = KafkaError.NONE;

/** A new topic's leader and a fresh idempotent producer id on the portable cluster. */
async function idempotentProducer(
  ctx: ConformanceContext,
): Promise<{ topic: string; conn: RawConnection; pid: number }> {
  const { topic, conn } = await ctx.topicLeader();
  return { topic, conn, pid: await initIdempotent(conn) };
}

/**
 * A fresh idempotent producer writes batches `[epoch, sequence]` in turn (a batch's value depends only on both, so
 * a repeated pair is a true retry); the last write must get `code`, and with NONE `baseOffset`.
 */
function sequenceRow(
  head: RowHead,
  writes: Array<[number, number]>,
  code: keyof typeof KafkaError,
  baseOffset?: number,
): ConformanceRow {
  return {
    ...head,
    run: async (ctx) => {
      const { topic, conn, pid } = await idempotentProducer(ctx);
      let last = { errorCode: -1, baseOffset: -1 };
      for (const [epoch, seq] of writes) {
        last = await produce(conn, {
          topic,
          records: idempotentBatch(pid, epoch, seq, [`e${epoch}s${seq}`]),
        });
      }
      expect(last.errorCode).toBe(KafkaError[code]);
      if (baseOffset !== undefined) expect(last.baseOffset).toBe(baseOffset);
    },
  };
}

const SIX_BATCHES: Array<[number, number]> = [0, 1, 2, 3, 4, 5].map((seq) => [0, seq]);

export const IDEMPOTENCE_ROWS: ConformanceRow[] = [
  {
    id: 'I01',
    title:
      'Idempotent retry reaching a new leader that never received the batch (leader killed, followers lagging)',
    expected: 'appended and acknowledged at its own offset; the next batch follows it',
    source:
      'core/.../log/UnifiedLog.scala (producer state per replica, rebuilt from its own log); ProducerStateManager.java',
    embeddedOnly: 'kills the leader while followers lag',
    timeoutMs: 30_000,
    run: async (ctx) => {
      const f = await faultCluster(ctx);
      const leader = await f.connect(0);
      const pid = await initIdempotent(leader);
      f.cluster.faults.setReplicationLag(1, 1_000);
      f.cluster.faults.setReplicationLag(2, 1_000);
      const batch = (seq: number, v: string) => idempotentBatch(pid, 0, seq, [v]);
      expect(await produce(leader, { topic: f.topic, records: batch(0, 'k0') })).toEqual({
        errorCode: NONE,
        baseOffset: 0,
      });
      sendProduce(leader, { topic: f.topic, records: batch(1, 'k1') });
      const p = f.cluster.cluster.partition(f.topic, 0);
      await waitFor(() => p?.logs.get(0)?.logEndOffset === 2, { message: 'k1 appended on the leader only' });
      await f.cluster.faults.killBroker(0);
      const next = await f.leader();
      const retry = await produce(next, { topic: f.topic, records: batch(1, 'k1'), timeoutMs: 5_000 });
      expect(retry).toEqual({ errorCode: NONE, baseOffset: 1 });
      expect(await produce(next, { topic: f.topic, records: batch(2, 'k2') })).toEqual({
        errorCode: NONE,
        baseOffset: 2,
      });
      const read = await readTopic(f.liveBrokers(), f.topic);
      expect(read.map((r) => [r.offset, r.value])).toEqual([
        [0, 'k0'],
        [1, 'k1'],
        [2, 'k2'],
      ]);
    },
  },
  sequenceRow(
    {
      id: 'I02',
      title: "Retry of one of the producer's last five batches",
      expected: 'NONE with the original base offset (not stored again)',
      source: STATE_ENTRY,
    },
    [...SIX_BATCHES, [0, 1]],
    'NONE',
    1,
  ),
  sequenceRow(
    {
      id: 'I03',
      title: 'Retry of a batch older than the last five',
      expected: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      source: `${STATE_ENTRY}; ${APPEND_INFO}`,
    },
    [...SIX_BATCHES, [0, 0]],
    'OUT_OF_ORDER_SEQUENCE_NUMBER',
  ),
  sequenceRow(
    { id: 'I04', title: 'Sequence gap', expected: 'OUT_OF_ORDER_SEQUENCE_NUMBER', source: APPEND_INFO },
    [
      [0, 0],
      [0, 2],
    ],
    'OUT_OF_ORDER_SEQUENCE_NUMBER',
  ),
  sequenceRow(
    {
      id: 'I05',
      title: 'Epoch lower than the partition last saw from the producer',
      expected: 'INVALID_PRODUCER_EPOCH',
      source: APPEND_INFO,
    },
    [
      [1, 0],
      [0, 1],
    ],
    'INVALID_PRODUCER_EPOCH',
  ),
  sequenceRow(
    {
      id: 'I06',
      title: 'Known producer, new epoch, first sequence not 0',
      expected: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      source: APPEND_INFO,
    },
    [
      [0, 0],
      [1, 3],
    ],
    'OUT_OF_ORDER_SEQUENCE_NUMBER',
  ),
  sequenceRow(
    {
      id: 'I07',
      title: 'Producer id the partition has no state for, first write at sequence 7',
      expected: 'NONE (any sequence is accepted when the producer state is gone)',
      source: `${APPEND_INFO} ("If there is no current producer epoch ... accept writes with any sequence number")`,
    },
    [[0, 7]],
    'NONE',
    0,
  ),
  {
    id: 'I08',
    title: 'Producer idle longer than producer.id.expiration.ms writes again at sequence 7',
    expected: 'NONE (its state expired)',
    source: 'storage/.../log/ProducerStateManager.java removeExpiredProducers; ProducerAppendInfo.java',
    embeddedOnly: 'needs a short producer.id.expiration.ms',
    timeoutMs: 20_000,
    run: async (ctx) => {
      const cluster = await ctx.embedded({ settings: { producerIdExpirationMs: 500 } });
      const topic = createEmbeddedTopic(cluster, {});
      const conn = await ctx.connect(cluster.bootstrapServers[0]);
      const pid = await initIdempotent(conn);
      await produce(conn, { topic, records: idempotentBatch(pid, 0, 0, ['a']) });
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await produce(conn, { topic, records: idempotentBatch(pid, 0, 7, ['b']) })).toEqual({
        errorCode: NONE,
        baseOffset: 1,
      });
    },
  },
  {
    id: 'I09',
    title: "Retention deletes a producer's batches; it retries its last batch, then goes on",
    expected:
      'NONE at the original offset for the retry (state kept until it expires), then NONE at the log end',
    source:
      'storage/.../log/ProducerStateManager.java (onLogStartOffsetIncremented keeps producers; truncateAndReload)',
    embeddedOnly: 'needs retention to delete the active head of the log',
    timeoutMs: 20_000,
    run: async (ctx) => {
      const cluster = await ctx.embedded({});
      const topic = createEmbeddedTopic(cluster, { 'retention.ms': '200' });
      const conn = await ctx.connect(cluster.bootstrapServers[0]);
      const pid = await initIdempotent(conn);
      for (let seq = 0; seq < 3; seq++)
        await produce(conn, { topic, records: idempotentBatch(pid, 0, seq, [`v${seq}`]) });
      await waitFor(() => cluster.cluster.partition(topic, 0)?.logStartOffset === 3, {
        message: 'retention emptied the log',
      });
      expect(await produce(conn, { topic, records: idempotentBatch(pid, 0, 2, ['v2']) })).toEqual({
        errorCode: NONE,
        baseOffset: 2,
      });
      expect(await produce(conn, { topic, records: idempotentBatch(pid, 0, 3, ['v3']) })).toEqual({
        errorCode: NONE,
        baseOffset: 3,
      });
    },
  },
  {
    id: 'I10',
    title: 'Retry after a clean leader move, to a follower that replicated the batch',
    expected: 'NONE with the original base offset (the follower learnt the producer state by replicating)',
    source: 'storage/.../log/ProducerAppendInfo.java (origin REPLICATION); UnifiedLog.scala appendAsFollower',
    embeddedOnly: 'moves the leader',
    run: async (ctx) => {
      const f = await faultCluster(ctx);
      const leader = await f.connect(0);
      const pid = await initIdempotent(leader);
      await produce(leader, { topic: f.topic, records: idempotentBatch(pid, 0, 0, ['a']) });
      await produce(leader, { topic: f.topic, records: idempotentBatch(pid, 0, 1, ['b']) });
      f.cluster.faults.moveLeader(f.topic, 0, 1);
      const next = await f.connect(1);
      expect(await produce(next, { topic: f.topic, records: idempotentBatch(pid, 0, 1, ['b']) })).toEqual({
        errorCode: NONE,
        baseOffset: 1,
      });
      expect(f.cluster.cluster.partition(f.topic, 0)?.logEndOffset).toBe(2);
    },
  },
];
