import { Socket, connect } from 'net';
import * as CRC32C from 'crc-32/crc32c';

/**
 * A tiny Kafka protocol client for tests that must send what kafkajs never would (a sequence gap, a stale epoch).
 * Encoding is written out here on purpose, independent of the broker's own codec, so a codec bug cannot hide itself.
 */

/** Big-endian byte builder for request bodies. */
export class Bytes {
  private readonly parts: Buffer[] = [];

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.push(b);
  }
  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.push(b);
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.push(b);
  }
  int64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return this.push(b);
  }
  varint(v: number): this {
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    const out: number[] = [];
    while (z >= 0x80) {
      out.push((z & 0x7f) | 0x80);
      z = Math.floor(z / 128);
    }
    out.push(z);
    return this.push(Buffer.from(out));
  }
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const b = Buffer.from(v, 'utf8');
    return this.int16(b.length).push(b);
  }
  bytes(v: Buffer): this {
    return this.int32(v.length).push(v);
  }
  push(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface RawBatchSpec {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly values: readonly string[];
  readonly transactional?: boolean;
  /** Attribute bits added as a misbehaving client might: a compression codec, 0x08 LogAppendTime, 0x20 control. */
  readonly extraAttributes?: number;
  /** Header fields that disagree with the records (default: consistent with `values`, base offset 0). */
  readonly baseOffset?: number;
  readonly lastOffsetDelta?: number;
  readonly recordCount?: number;
  /** Timestamp of every record (default: now). */
  readonly timestamp?: number;
}

/** A record batch v2 (magic 2) with uncompressed records, CRC32C over attributes..end. */
export function buildRecordBatch(spec: RawBatchSpec): Buffer {
  const now = spec.timestamp ?? Date.now();
  const records = spec.values.map((value, i) => {
    const v = Buffer.from(value, 'utf8');
    const body = new Bytes()
      .int8(0)
      .varint(0)
      .varint(i)
      .varint(-1)
      .varint(v.length)
      .push(v)
      .varint(0)
      .build();
    return new Bytes().varint(body.length).push(body).build();
  });
  const afterCrc = new Bytes()
    .int16((spec.transactional ? 0x10 : 0) | (spec.extraAttributes ?? 0))
    .int32(spec.lastOffsetDelta ?? spec.values.length - 1)
    .int64(now)
    .int64(now)
    .int64(spec.producerId)
    .int16(spec.producerEpoch)
    .int32(spec.baseSequence)
    .int32(spec.recordCount ?? spec.values.length)
    .push(Buffer.concat(records))
    .build();
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(CRC32C.buf(afterCrc) >>> 0);
  // batchLength counts everything after itself: leader epoch (4) + magic (1) + crc (4) + the rest.
  return new Bytes()
    .int64(spec.baseOffset ?? 0)
    .int32(9 + afterCrc.length)
    .int32(-1)
    .int8(2)
    .push(crc)
    .push(afterCrc)
    .build();
}

/** One connection to one broker; requests are answered in order, so one pending request at a time suffices. */
export class TxnRawClient {
  private correlationId = 0;
  private buffered = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static connect(hostPort: string): Promise<TxnRawClient> {
    const [host, port] = hostPort.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), host, () => resolve(new TxnRawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one request (header v1) and resolves with the response body after the correlation id. */
  request(apiKey: number, apiVersion: number, body: Buffer): Promise<Buffer> {
    const correlationId = ++this.correlationId;
    const header = new Bytes()
      .int16(apiKey)
      .int16(apiVersion)
      .int32(correlationId)
      .string('txn-raw-client')
      .build();
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length);
    return new Promise((resolve, reject) => {
      this.waiting = (frame) => {
        const got = frame.readInt32BE(0);
        if (got !== correlationId) reject(new Error(`correlation id ${got}, expected ${correlationId}`));
        else resolve(frame.subarray(4));
      };
      this.socket.write(Buffer.concat([size, header, body]));
    });
  }

  /** InitProducerId v0: without a transactional id a fresh idempotent producer id, with one its next epoch. */
  async initProducerId(
    transactionalId: string | null = null,
  ): Promise<{ errorCode: number; producerId: number; producerEpoch: number }> {
    const r = await this.request(22, 0, new Bytes().string(transactionalId).int32(60_000).build());
    return {
      errorCode: r.readInt16BE(4),
      producerId: Number(r.readBigInt64BE(6)),
      producerEpoch: r.readInt16BE(14),
    };
  }

  /** Produce v3 (acks=-1) of one batch to one partition; returns that partition's error code and base offset. */
  async produce(
    topic: string,
    partition: number,
    batch: Buffer,
  ): Promise<{ errorCode: number; baseOffset: number }> {
    const body = new Bytes()
      .string(null) // transactional id
      .int16(-1)
      .int32(10_000)
      .int32(1)
      .string(topic)
      .int32(1)
      .int32(partition)
      .bytes(batch)
      .build();
    const r = await this.request(0, 3, body);
    // responses[1] { name, partitions[1] { index, errorCode, baseOffset, logAppendTime } }, throttle time
    let pos = 4;
    pos += 2 + r.readInt16BE(pos); // topic name
    pos += 4 + 4; // partition count, index
    return { errorCode: r.readInt16BE(pos), baseOffset: Number(r.readBigInt64BE(pos + 2)) };
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
      const size = this.buffered.readInt32BE(0);
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const w = this.waiting;
      this.waiting = null;
      w?.(frame);
    }
  }
}
