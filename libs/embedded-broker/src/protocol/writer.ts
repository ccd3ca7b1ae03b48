/**
 * Growable response writer. Large byte payloads (record batches) are kept as references instead of copied, so a
 * fetch response serves stored batches without re-encoding or copying them into one big buffer.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private total = 0;
  private static readonly INLINE_LIMIT = 512;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.total + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushCurrent();
    this.buf = Buffer.allocUnsafe(Math.max(n, 4096));
  }

  private flushCurrent(): void {
    if (this.pos > 0) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.total += this.pos;
      this.buf = this.buf.subarray(this.pos);
      this.pos = 0;
    }
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  uvarint(v: number): this {
    let n = v;
    while (n >= 0x80) {
      this.int8((((n & 0x7f) | 0x80) << 24) >> 24);
      n = Math.floor(n / 128);
    }
    return this.int8((n << 24) >> 24);
  }

  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  nullableString(v: string | null): this {
    if (v === null) return this.int16(-1);
    const len = Buffer.byteLength(v);
    this.int16(len);
    this.ensure(len);
    this.buf.write(v, this.pos, 'utf8');
    this.pos += len;
    return this;
  }

  compactNullableString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    const b = Buffer.from(v, 'utf8');
    this.uvarint(b.length + 1);
    return this.raw(b);
  }

  nullableBytes(v: Buffer | null): this {
    if (v === null) return this.int32(-1);
    this.int32(v.length);
    return this.raw(v);
  }

  compactNullableBytes(v: Buffer | null): this {
    if (v === null) return this.uvarint(0);
    this.uvarint(v.length + 1);
    return this.raw(v);
  }

  /** Writes a sequence of buffers as one length-prefixed byte field without concatenating them. */
  bytesList(parts: readonly Buffer[]): this {
    let len = 0;
    for (const p of parts) len += p.length;
    this.int32(len);
    for (const p of parts) this.raw(p);
    return this;
  }

  raw(b: Buffer): this {
    if (b.length <= Writer.INLINE_LIMIT) {
      this.ensure(b.length);
      b.copy(this.buf, this.pos);
      this.pos += b.length;
      return this;
    }
    this.flushCurrent();
    this.chunks.push(b);
    this.total += b.length;
    return this;
  }

  /** The written bytes as a list of chunks (for socket writes without a copy). */
  toChunks(): Buffer[] {
    this.flushCurrent();
    return this.chunks;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.toChunks());
  }
}
