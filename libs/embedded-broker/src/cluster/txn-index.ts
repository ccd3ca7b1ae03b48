/** An aborted transaction's range on one partition, reported to read_committed fetchers. */
export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

interface CompletedTxn {
  readonly firstOffset: number;
  readonly markerOffset: number;
}

/**
 * Open and aborted transactions of one replica's log: the last stable offset and the fetch response's aborted
 * list. Like Kafka's ProducerStateManager, a transaction whose marker is written but not yet replicated (at or
 * above the high watermark) still holds the LSO back, so read_committed never sees an outcome that could be lost.
 */
export class TxnIndex {
  private readonly open = new Map<number, number>();
  private aborted: AbortedTxn[] = [];
  private unreplicated: CompletedTxn[] = [];

  onTransactionalAppend(producerId: number, baseOffset: number): void {
    if (!this.open.has(producerId)) this.open.set(producerId, baseOffset);
  }

  /** Called when the control marker at `markerOffset` is stored. */
  complete(producerId: number, markerOffset: number, committed: boolean): void {
    const first = this.open.get(producerId);
    this.open.delete(producerId);
    if (first === undefined) return;
    this.unreplicated.push({ firstOffset: first, markerOffset });
    if (!committed) this.aborted.push({ producerId, firstOffset: first, lastOffset: markerOffset });
  }

  /** ProducerStateManager.onHighWatermarkUpdated: markers below the high watermark are replicated. */
  onHighWatermark(highWatermark: number): void {
    if (this.unreplicated.length === 0) return;
    this.unreplicated = this.unreplicated.filter((t) => t.markerOffset >= highWatermark);
  }

  /** ProducerStateManager.firstUnstableOffset: the earliest open or not yet replicated transaction. */
  firstUnstableOffset(highWatermark: number): number | undefined {
    this.onHighWatermark(highWatermark);
    let min: number | undefined;
    for (const v of this.open.values()) if (min === undefined || v < min) min = v;
    for (const t of this.unreplicated) if (min === undefined || t.firstOffset < min) min = t.firstOffset;
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

  /** Retention removed everything below `logStartOffset`: so goes the index of those segments. */
  dropBefore(logStartOffset: number): void {
    this.aborted = this.aborted.filter((a) => a.lastOffset >= logStartOffset);
  }

  clone(): TxnIndex {
    const copy = new TxnIndex();
    for (const [k, v] of this.open) copy.open.set(k, v);
    copy.aborted = this.aborted.slice();
    copy.unreplicated = this.unreplicated.slice();
    return copy;
  }
}
