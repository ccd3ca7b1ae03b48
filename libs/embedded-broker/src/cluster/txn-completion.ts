import { Cluster } from './cluster';
import { GroupCoordinator } from './group-coordinator';
import { TxnMarkerWriter } from './txn-marker-writer';
import { TxnMetadata } from './txn-metadata';

const MARKER_RETRY_MS = 100;

/**
 * Ends transactions: applies a committed transaction's offsets to its groups, then writes the markers
 * (Prepare* -> Complete*). Partitions without a leader keep the transaction in Prepare* and are retried on a
 * timer, as Kafka's marker channel retries until the partition is back.
 */
export class TxnCompletion {
  private readonly markers: TxnMarkerWriter;
  private readonly waiting = new Set<TxnMetadata>();
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    cluster: Cluster,
    private readonly groups: GroupCoordinator,
  ) {
    this.markers = new TxnMarkerWriter(cluster);
  }

  finish(meta: TxnMetadata, committed: boolean): void {
    if (committed) {
      for (const [groupId, byPartition] of meta.pendingOffsets) {
        this.groups.commitOffsets(groupId, [...byPartition.values()]);
      }
    }
    meta.pendingMarkers = [...meta.partitions.values()];
    meta.state = committed ? 'PrepareCommit' : 'PrepareAbort';
    meta.clearTransaction();
    this.writeMarkers(meta);
  }

  stop(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    this.waiting.clear();
  }

  private writeMarkers(meta: TxnMetadata): void {
    const committed = meta.state === 'PrepareCommit';
    meta.pendingMarkers = this.markers.write(
      meta.pendingMarkers,
      meta.producerId,
      meta.producerEpoch,
      committed,
    );
    if (meta.pendingMarkers.length === 0) {
      meta.state = committed ? 'CompleteCommit' : 'CompleteAbort';
      this.waiting.delete(meta);
      return;
    }
    this.waiting.add(meta);
    if (this.retryTimer) return;
    this.retryTimer = setInterval(() => this.retry(), MARKER_RETRY_MS);
    this.retryTimer.unref();
  }

  private retry(): void {
    for (const m of [...this.waiting]) this.writeMarkers(m);
    if (this.waiting.size === 0 && this.retryTimer) {
      clearInterval(this.retryTimer);
      this.retryTimer = null;
    }
  }
}
