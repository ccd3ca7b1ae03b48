/**
 * Tracks the offsets of one partition's batch and tells which offset may be committed: the one after the
 * longest prefix of begun offsets that all completed. kafkajs' `resolveOffset` accepts any offset, so with
 * concurrent work it would commit past an unfinished message; this never does.
 *
 * Offsets are compared in the order they were begun (which must be log order), not by arithmetic: a partition
 * may have gaps (compaction, transaction markers), so "contiguous" means "no unfinished begun offset before it".
 * With ordering `key` or `unordered` the runner begins the whole batch up front and lanes complete offsets in any
 * order; completing an offset twice is harmless. Completing in log order is O(1), out of order O(log n) (a batch may hold thousands).
 */
export class OffsetTracker {
  /** Begun offsets in log order, as kafkajs gives them (canonical decimal strings). */
  private readonly offsets: string[] = [];
  private readonly done: boolean[] = [];
  /** Index of the first offset not completed: everything before it is the committable prefix. */
  private cursor = 0;
  /** Where the last completion was found: completions mostly follow log order, so the next one is usually next. */
  private hint = 0;

  /** Registers an offset about to be handled. Offsets must be begun in increasing order. */
  begin(offset: string): void {
    const last = this.offsets.length ? this.offsets[this.offsets.length - 1] : null;
    if (last !== null && compareOffsets(offset, last) <= 0) {
      throw new RangeError(`Offset ${offset} begun out of order (after ${last})`);
    }
    this.offsets.push(offset);
    this.done.push(false);
  }

  /** True when `offset` was begun (and not abandoned). */
  has(offset: string): boolean {
    return this.positionOf(offset) !== -1;
  }

  /** Records that the message at `offset` was handled successfully (or dead-lettered with an ack). */
  complete(offset: string): void {
    const position = this.positionOf(offset);
    if (position === -1) throw new RangeError(`Offset ${offset} completed but never begun`);
    this.hint = position + 1;
    this.done[position] = true;
    while (this.cursor < this.offsets.length && this.done[this.cursor]) this.cursor++;
  }

  /** Offset to commit (lowest contiguous completed + 1), or null when nothing completed yet. */
  committable(): string | null {
    return this.cursor === 0 ? null : (BigInt(this.offsets[this.cursor - 1]) + 1n).toString();
  }

  /**
   * Index of `offset` among the begun ones, or -1. Checks the hint first (in-order completion is O(1)), then
   * binary-searches: no per-offset map or BigInt, which were most of the runner's own cost per record.
   */
  private positionOf(offset: string): number {
    const offsets = this.offsets;
    if (this.hint < offsets.length && offsets[this.hint] === offset) return this.hint;
    let high = offsets.length - 1;
    if (high < 0 || compareOffsets(offset, offsets[high]) > 0) return -1; // not begun yet: the usual `has` case
    let low = 0;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compareOffsets(offsets[middle], offset);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}

/** Numeric order of two canonical decimal offsets (no sign, no leading zeros) without parsing them. */
export function compareOffsets(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
