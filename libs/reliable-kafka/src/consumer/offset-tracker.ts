/**
 * Tracks the offsets of one partition's batch and tells which offset may be committed: the one after the
 * longest prefix of begun offsets that all completed. kafkajs' `resolveOffset` accepts any offset, so with
 * concurrent work it would commit past an unfinished message; this never does.
 *
 * Offsets are compared in the order they were begun (which must be log order), not by arithmetic: a partition
 * may have gaps (compaction, transaction markers), so "contiguous" means "no unfinished begun offset before it".
 * With ordering `key` or `unordered` the runner begins the whole batch up front and lanes complete offsets in any
 * order; completing an offset twice is harmless. Every operation is O(1) amortized (a batch may hold thousands).
 */
export class OffsetTracker {
  /** Begun offsets in log order. */
  private readonly offsets: bigint[] = [];
  private readonly done: boolean[] = [];
  /** Position in `offsets` of each begun offset, keyed by its string as kafkajs gives it (canonical decimal). */
  private readonly positions = new Map<string, number>();
  /** Index of the first offset not completed: everything before it is the committable prefix. */
  private cursor = 0;
  private mark: bigint | null = null;

  /** Registers an offset about to be handled. Offsets must be begun in increasing order. */
  begin(offset: string): void {
    const value = BigInt(offset);
    const last = this.offsets.length ? this.offsets[this.offsets.length - 1] : null;
    if ((last !== null && value <= last) || (this.mark !== null && value < this.mark)) {
      throw new RangeError(`Offset ${offset} begun out of order (after ${String(last ?? this.mark)})`);
    }
    this.positions.set(offset, this.offsets.length);
    this.offsets.push(value);
    this.done.push(false);
  }

  /** True when `offset` was begun (and not abandoned). */
  has(offset: string): boolean {
    return this.positions.has(offset);
  }

  /** Records that the message at `offset` was handled successfully (or dead-lettered with an ack). */
  complete(offset: string): void {
    const position = this.positions.get(offset);
    if (position === undefined) throw new RangeError(`Offset ${offset} completed but never begun`);
    this.done[position] = true;
    while (this.cursor < this.offsets.length && this.done[this.cursor]) this.cursor++;
    if (this.cursor > 0) this.mark = this.offsets[this.cursor - 1] + 1n;
  }

  /**
   * Forgets `offset` and every offset begun after it (completed or not), so they can be begun again on a retry.
   * Later completions are dropped too: they could not be committed while `offset` is unfinished, and keeping
   * them would let a retry that skips `offset` move the mark past it. Only for callers that begin lazily, one
   * chunk at a time; a batch begun up front never needs it (an unfinished offset simply stays unfinished).
   */
  abandonFrom(offset: string): void {
    const value = BigInt(offset);
    let index = this.cursor;
    while (index < this.offsets.length && this.offsets[index] < value) index++;
    for (const dropped of this.offsets.splice(index)) this.positions.delete(dropped.toString());
    this.done.splice(index);
  }

  /** Offset to commit (lowest contiguous completed + 1), or null when nothing completed yet. */
  committable(): string | null {
    return this.mark === null ? null : this.mark.toString();
  }

  /** True when every begun offset completed. */
  isIdle(): boolean {
    return this.cursor === this.offsets.length;
  }
}
