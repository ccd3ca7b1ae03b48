import { Cluster } from './cluster';
import { GroupCoordinator } from './group-coordinator';
import { TxnMarkerWriter } from './txn-marker-writer';
import { TopicPartitionRef, TxnMetadata } from './txn-metadata';

const MARKER_RETRY_MS = 100;

/**
 * Ends transactions: applies a committed transaction's offsets to its groups, then writes the markers
 * (Prepare* -> Complete*). The transaction completes only when every marker is committed on its partition;
 * markers that could not be written (no leader, ISR too small, leadership moved before replication) are retried
 * on a timer, as Kafka's marker channel retries until it succeeds. Meanwhile the transactional id answers
 * CONCURRENT_TRANSACTIONS.
 */
export class TxnCompletion {
  private readonly markers: TxnMarkerWriter;
  private readonly waiting = new Set<TxnMetadata>();
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

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
    this.stopped = true;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    this.waiting.clear();
  }

  private writeMarkers(meta: TxnMetadata): void {
    const commit = meta.state === 'PrepareCommit';
    const retry: TopicPartitionRef[] = [];
    for (const target of meta.pendingMarkers) {
      const w = this.markers.write(target, meta.producerId, meta.producerEpoch, commit);
      if (w.kind === 'retry') retry.push(target);
      if (w.kind !== 'pending') continue;
      meta.markersInFlight++;
      void w.committed.then((ok) => {
        meta.markersInFlight--;
        if (!ok) meta.pendingMarkers.push(target);
        this.settle(meta);
      });
    }
    meta.pendingMarkers = retry;
    this.settle(meta);
  }

  /** Complete once nothing is pending; otherwise make sure the retry timer will write what is left. */
  private settle(meta: TxnMetadata): void {
    if (this.stopped || !meta.completing) return;
    if (meta.pendingMarkers.length === 0 && meta.markersInFlight === 0) {
      meta.state = meta.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort';
      this.waiting.delete(meta);
      return;
    }
    if (meta.pendingMarkers.length === 0) return;
    this.waiting.add(meta);
    if (this.retryTimer) return;
    this.retryTimer = setInterval(() => this.retry(), MARKER_RETRY_MS);
    this.retryTimer.unref();
  }

  private retry(): void {
    for (const m of [...this.waiting]) if (m.pendingMarkers.length > 0) this.writeMarkers(m);
    if (this.waiting.size === 0 && this.retryTimer) {
      clearInterval(this.retryTimer);
      this.retryTimer = null;
    }
  }
}
