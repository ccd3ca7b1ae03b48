import { waitFor } from '../../support';
import type { ConformanceContext, ConformanceRow } from './conformance-row';
import { KafkaError } from './kafka-errors';
import { endOffsets, idempotentBatch, produce, ProduceResult } from './raw-produce';
import { addPartition, endTxn, initTxnProducer, RawTxnProducer, reinit } from './raw-txn';

const KIP_890 =
  'KIP-890; core/.../server/ReplicaManager.scala handleProduceAppend; TransactionCoordinator.scala handleVerifyPartitionsInTransaction; AddPartitionsToTxnManager.scala';

/** A transactional batch of `p` (or of another producer id / epoch) to partition 0 of `topic`. */
async function produceTxn(
  ctx: ConformanceContext,
  p: RawTxnProducer,
  topic: string,
  over: { producerId?: number; epoch?: number; sequence?: number; transactional?: boolean } = {},
): Promise<ProduceResult> {
  const transactional = over.transactional ?? true;
  const batch = idempotentBatch(
    over.producerId ?? p.producerId,
    over.epoch ?? p.producerEpoch,
    over.sequence ?? 0,
    ['t'],
    {
      transactional,
    },
  );
  return produce(await ctx.leader(topic), {
    topic,
    records: batch,
    transactionalId: transactional ? p.transactionalId : null,
  });
}

/** A new topic and an initialised transactional producer; with `add`, the topic's partition is in its transaction. */
async function txnSetup(ctx: ConformanceContext, add = false): Promise<{ topic: string; p: RawTxnProducer }> {
  const topic = await ctx.createTopic();
  const p = await initTxnProducer(ctx);
  if (add) expect(await addPartition(p, topic)).toBe(KafkaError.NONE);
  return { topic, p };
}

export const TRANSACTION_ROWS: ConformanceRow[] = [
  {
    id: 'T01',
    title: 'Transactional produce to a partition never added to the transaction',
    expected: 'INVALID_TXN_STATE, nothing stored, last stable offset not held back',
    source: KIP_890,
    run: async (ctx) => {
      const { topic, p } = await txnSetup(ctx);
      expect((await produceTxn(ctx, p, topic)).errorCode).toBe(KafkaError.INVALID_TXN_STATE);
      expect(await endOffsets(await ctx.leader(topic), topic)).toEqual({ high: 0, lso: 0 });
    },
  },
  {
    id: 'T02',
    title: 'Transactional produce (first write of the transaction) with an epoch the coordinator has fenced',
    expected: 'INVALID_PRODUCER_EPOCH',
    source: `${KIP_890} (PRODUCER_FENCED answered as INVALID_PRODUCER_EPOCH)`,
    run: async (ctx) => {
      const { topic, p: old } = await txnSetup(ctx);
      const current = await reinit(old);
      expect(await addPartition(current, topic)).toBe(KafkaError.NONE);
      expect((await produceTxn(ctx, current, topic, { epoch: old.producerEpoch })).errorCode).toBe(
        KafkaError.INVALID_PRODUCER_EPOCH,
      );
      await endTxn(current, false);
    },
  },
  {
    id: 'T03',
    title: "Transactional produce with a producer id that is not the transactional id's",
    expected: 'INVALID_PRODUCER_ID_MAPPING',
    source: KIP_890,
    run: async (ctx) => {
      const { topic, p } = await txnSetup(ctx, true);
      const r = await produceTxn(ctx, p, topic, { producerId: p.producerId + 7919, epoch: 0 });
      expect(r.errorCode).toBe(KafkaError.INVALID_PRODUCER_ID_MAPPING);
      await endTxn(p, false);
    },
  },
  {
    id: 'T04',
    title: 'Transactional produce after AddPartitionsToTxn, then EndTxn(commit)',
    expected: 'NONE; the LSO stays at the batch until the commit marker, then passes it',
    source: 'KIP-98; storage/.../log/ProducerStateManager.java firstUnstableOffset',
    run: async (ctx) => {
      const { topic, p } = await txnSetup(ctx, true);
      expect(await produceTxn(ctx, p, topic)).toEqual({ errorCode: KafkaError.NONE, baseOffset: 0 });
      const leader = await ctx.leader(topic);
      expect(await endOffsets(leader, topic)).toEqual({ high: 1, lso: 0 });
      expect(await endTxn(p, true)).toBe(KafkaError.NONE);
      // The marker is written asynchronously on a real cluster: wait for it.
      await waitFor(async () => (await endOffsets(leader, topic)).lso === 2, {
        message: 'LSO past the marker',
      });
      expect(await endOffsets(leader, topic)).toEqual({ high: 2, lso: 2 });
    },
  },
  {
    id: 'T05',
    title: 'Non-transactional write by a producer that has a transaction open on the partition',
    expected: 'INVALID_TXN_STATE',
    source: 'storage/.../log/ProducerAppendInfo.java appendDataBatch',
    run: async (ctx) => {
      const { topic, p } = await txnSetup(ctx, true);
      expect((await produceTxn(ctx, p, topic)).errorCode).toBe(KafkaError.NONE);
      const r = await produceTxn(ctx, p, topic, { sequence: 1, transactional: false });
      expect(r.errorCode).toBe(KafkaError.INVALID_TXN_STATE);
      await endTxn(p, false);
    },
  },
];
