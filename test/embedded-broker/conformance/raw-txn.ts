import { uniqueName } from '../../support';
import type { RawConnection } from '../support/raw-connection';
import type { ConformanceContext } from './conformance-row';

const TRANSACTION_KEY = 1;

/** A transactional producer driven by raw requests (kafkajs' codecs), on its transaction coordinator. */
export interface RawTxnProducer {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly coordinator: RawConnection;
}

/** FindCoordinator for a transactional id, then InitProducerId on that coordinator. */
export async function initTxnProducer(
  ctx: ConformanceContext,
  transactionalId = uniqueName('txn'),
): Promise<RawTxnProducer> {
  const bootstrap = await ctx.connect(ctx.brokers[0]);
  const found = await bootstrap.request<{ errorCode: number; coordinator: { host: string; port: number } }>(
    'GroupCoordinator',
    1,
    { groupId: transactionalId, coordinatorType: TRANSACTION_KEY },
  );
  if (found.errorCode !== 0)
    throw new Error(`FindCoordinator(${transactionalId}) failed: ${found.errorCode}`);
  const coordinator = await ctx.connect(`${found.coordinator.host}:${found.coordinator.port}`);
  return reinit({ transactionalId, producerId: -1, producerEpoch: -1, coordinator });
}

/** InitProducerId again: the same producer id at the next epoch (fencing the previous one). */
export async function reinit(p: RawTxnProducer): Promise<RawTxnProducer> {
  const r = await p.coordinator.request<{ errorCode: number; producerId: string; producerEpoch: number }>(
    'InitProducerId',
    0,
    { transactionalId: p.transactionalId, transactionTimeout: 60_000 },
  );
  if (r.errorCode !== 0) throw new Error(`InitProducerId failed: ${r.errorCode}`);
  return { ...p, producerId: Number(r.producerId), producerEpoch: r.producerEpoch };
}

/** AddPartitionsToTxn v0 for one partition; returns its error code. */
export async function addPartition(p: RawTxnProducer, topic: string, partition = 0): Promise<number> {
  const r = await p.coordinator.request<{ errors: Array<{ partitionErrors: Array<{ errorCode: number }> }> }>(
    'AddPartitionsToTxn',
    0,
    {
      transactionalId: p.transactionalId,
      producerId: String(p.producerId),
      producerEpoch: p.producerEpoch,
      topics: [{ topic, partitions: [partition] }],
    },
  );
  return r.errors[0].partitionErrors[0].errorCode;
}

/** EndTxn v0; returns its error code. */
export async function endTxn(p: RawTxnProducer, commit: boolean): Promise<number> {
  const r = await p.coordinator.request<{ errorCode: number }>('EndTxn', 0, {
    transactionalId: p.transactionalId,
    producerId: String(p.producerId),
    producerEpoch: p.producerEpoch,
    transactionResult: commit,
  });
  return r.errorCode;
}
