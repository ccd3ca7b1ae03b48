/**
 * Tracks the offsets of one partition that are in flight and tells which offset may be committed:
 * the one after the longest prefix of begun offsets that all completed. kafkajs' `resolveOffset` accepts any
 * offset, so with concurrent work it would commit past an unfinished message; this never does.
 *
 * Offsets are compared in the order they were begun (which is log order), not by arithmetic: a partition may
 * have gaps (compaction, transaction markers), so "contiguous" means "no unfinished begun offset before it".
 */
export class OffsetTracker {
  /** Begun offsets in log order, oldest first, not yet passed by the committable mark. */
  private readonly inFlight: bigint[] = [];
  private readonly completed = new Set<bigint>();
  private mark: bigint | null = null;

  /** Registers an offset about to be handled. Offsets must be begun in increasing order. */
  begin(offset: string): void {
    const value = BigInt(offset);
    const last = this.inFlight[this.inFlight.length - 1] ?? this.mark;
    if (last !== null && value <= (this.inFlight.length ? last : last - 1n)) {
      throw new RangeError(`Offset ${offset} begun out of order (after ${String(last)})`);
    }
    this.inFlight.push(value);
  }

  /** Records that the message at `offset` was handled successfully (or dead-lettered with an ack). */
  complete(offset: string): void {
    const value = BigInt(offset);
    if (!this.inFlight.includes(value)) throw new RangeError(`Offset ${offset} completed but never begun`);
    this.completed.add(value);
    while (this.inFlight.length && this.completed.has(this.inFlight[0])) {
      const done = this.inFlight.shift() as bigint;
      this.completed.delete(done);
      this.mark = done + 1n;
    }
  }

  /**
   * Forgets `offset` and every offset begun after it (completed or not), so they can be begun again on a retry.
   * Later completions are dropped too: they could not be committed while `offset` is unfinished, and keeping
   * them would let a retry that skips `offset` move the mark past it.
   */
  abandonFrom(offset: string): void {
    const value = BigInt(offset);
    const index = this.inFlight.findIndex((o) => o >= value);
    if (index < 0) return;
    for (const dropped of this.inFlight.splice(index)) this.completed.delete(dropped);
  }

  /** Offset to commit (lowest contiguous completed + 1), or null when nothing new may be committed. */
  committable(): string | null {
    return this.mark === null ? null : this.mark.toString();
  }

  /** True when every begun offset completed. */
  isIdle(): boolean {
    return this.inFlight.length === 0;
  }
}
