/** Why a stream of frames cannot go on: Kafka's InvalidReceiveException, after which the connection is closed. */
export class InvalidFrameError extends Error {
  constructor(readonly size: number) {
    super(`invalid request size ${size}`);
    this.name = 'InvalidFrameError';
  }
}

const SIZE_PREFIX = 4;

/**
 * Cuts a TCP byte stream into size-prefixed request frames, as Kafka's NetworkReceive does: once the 4-byte size
 * is known, a buffer of exactly that size is allocated and each chunk is copied into it once, so a large request
 * costs O(size) time and one buffer of memory. A size above `maxBytes` (socket.request.max.bytes) or below
 * `minBytes` is refused as soon as the prefix arrives, before any of the body is buffered.
 */
export class FrameReader {
  private readonly sizeBytes = Buffer.alloc(SIZE_PREFIX);
  private sizeFilled = 0;
  private frame: Buffer | null = null;
  private frameFilled = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly minBytes: number,
  ) {}

  /** Consumes a chunk and returns the frames it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.frame === null) {
        const n = Math.min(SIZE_PREFIX - this.sizeFilled, chunk.length - pos);
        chunk.copy(this.sizeBytes, this.sizeFilled, pos, pos + n);
        this.sizeFilled += n;
        pos += n;
        if (this.sizeFilled < SIZE_PREFIX) break;
        const size = this.sizeBytes.readInt32BE(0);
        if (size < this.minBytes || size > this.maxBytes) throw new InvalidFrameError(size);
        if (chunk.length - pos >= size) {
          // The whole frame is in this chunk: hand out a view, no copy (the common case for small requests).
          frames.push(chunk.subarray(pos, pos + size));
          pos += size;
          this.sizeFilled = 0;
          continue;
        }
        this.frame = Buffer.allocUnsafe(size);
        this.frameFilled = 0;
      }
      const n = Math.min(this.frame.length - this.frameFilled, chunk.length - pos);
      chunk.copy(this.frame, this.frameFilled, pos, pos + n);
      this.frameFilled += n;
      pos += n;
      if (this.frameFilled === this.frame.length) {
        frames.push(this.frame);
        this.frame = null;
        this.sizeFilled = 0;
      }
    }
    return frames;
  }
}
