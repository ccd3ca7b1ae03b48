/** An aborted transaction's range on one partition, reported to read_committed fetchers. */
export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/** Tracks open and aborted transactions of one partition: the LSO and the fetch response's aborted list. */
export class TxnIndex {
  private readonly open = new Map<number, number>();
  private readonly aborted: AbortedTxn[] = [];

  onTransactionalAppend(producerId: number, baseOffset: number): void {
    if (!this.open.has(producerId)) this.open.set(producerId, baseOffset);
  }

  /** Called when the control marker at `markerOffset` is written. */
  complete(producerId: number, markerOffset: number, committed: boolean): void {
    const first = this.open.get(producerId);
    this.open.delete(producerId);
    if (!committed && first !== undefined)
      this.aborted.push({ producerId, firstOffset: first, lastOffset: markerOffset });
  }

  firstOpenOffset(): number | undefined {
    let min: number | undefined;
    for (const v of this.open.values()) if (min === undefined || v < min) min = v;
    return min;
  }

  /**
   * Aborted transactions overlapping [from, to), by first offset: kafkajs walks this list in order and
   * would miss a transaction listed after one that starts later (markers are written in completion order).
   */
  abortedBetween(from: number, to: number): AbortedTxn[] {
    return this.aborted
      .filter((a) => a.lastOffset >= from && a.firstOffset < to)
      .sort((a, b) => a.firstOffset - b.firstOffset);
  }
}
