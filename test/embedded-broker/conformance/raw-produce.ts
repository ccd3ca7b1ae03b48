import { Bytes, buildRecordBatch, RawBatchSpec } from '../support/txn-raw-client';
import type { RawConnection } from '../support/raw-connection';

const PRODUCE = 0;

export interface RawProduce {
  readonly topic: string;
  readonly partition?: number;
  /** The partition's records blob as sent (null: a null records field). */
  readonly records: Buffer | null;
  readonly acks?: number;
  readonly timeoutMs?: number;
  readonly transactionalId?: string | null;
  /** Produce version, 3..7 (default 3). */
  readonly version?: number;
}

export interface ProduceResult {
  readonly errorCode: number;
  readonly baseOffset: number;
}

/** The body of a one-partition Produce request (v3-v7 share their layout). */
export function produceBody(p: RawProduce): Buffer {
  const b = new Bytes()
    .string(p.transactionalId ?? null)
    .int16(p.acks ?? -1)
    .int32(p.timeoutMs ?? 10_000)
    .int32(1)
    .string(p.topic)
    .int32(1)
    .int32(p.partition ?? 0);
  return (p.records === null ? b.int32(-1) : b.bytes(p.records)).build();
}

/** Sends one Produce and returns its one partition's result. */
export async function produce(conn: RawConnection, p: RawProduce): Promise<ProduceResult> {
  const r = await conn.call(PRODUCE, p.version ?? 3, produceBody(p));
  // responses[1] { name, partitions[1] { index, errorCode, baseOffset, ... } }
  let pos = 4;
  pos += 2 + r.readInt16BE(pos);
  pos += 4 + 4;
  return { errorCode: r.readInt16BE(pos), baseOffset: Number(r.readBigInt64BE(pos + 2)) };
}

/** Writes a Produce without waiting (its answer is read later with `readProduceResult`). */
export function sendProduce(conn: RawConnection, p: RawProduce): number {
  return conn.send(PRODUCE, p.version ?? 3, produceBody(p));
}

/** A plain batch: no producer id, uncompressed, one record per value. */
export function plainBatch(values: readonly string[], spec: Partial<RawBatchSpec> = {}): Buffer {
  return buildRecordBatch({ producerId: -1, producerEpoch: -1, baseSequence: -1, values, ...spec });
}

/** An idempotent batch of producer `producerId` at `epoch`, starting at `sequence`. */
export function idempotentBatch(
  producerId: number,
  epoch: number,
  sequence: number,
  values: readonly string[],
  spec: Partial<RawBatchSpec> = {},
): Buffer {
  return buildRecordBatch({ producerId, producerEpoch: epoch, baseSequence: sequence, values, ...spec });
}

/** Flips a bit in the last byte, which the batch CRC covers. */
export function corrupt(batch: Buffer): Buffer {
  const copy = Buffer.from(batch);
  copy[copy.length - 1] ^= 0x01;
  return copy;
}

/** ListOffsets v2 (latest) of partition 0, read_uncommitted (the high watermark) and read_committed (the LSO). */
export async function endOffsets(conn: RawConnection, topic: string): Promise<{ high: number; lso: number }> {
  const latest = async (isolationLevel: number): Promise<number> => {
    const r = await conn.request<{ responses: Array<{ partitions: Array<{ offset: string }> }> }>(
      'ListOffsets',
      2,
      {
        replicaId: -1,
        isolationLevel,
        topics: [{ topic, partitions: [{ partition: 0, timestamp: -1 }] }],
      },
    );
    return Number(r.responses[0].partitions[0].offset);
  };
  return { high: await latest(0), lso: await latest(1) };
}
