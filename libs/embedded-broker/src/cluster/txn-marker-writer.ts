import { ErrorCode } from '../protocol/error-codes';
import { buildControlBatch, stampBatch } from '../protocol/record-batch';
import { Cluster } from './cluster';
import { toLogEntry } from './partition-log';
import { TopicPartitionRef } from './txn-metadata';

/** Kafka's request.timeout.ms for the coordinator's WriteTxnMarkers requests. */
const MARKER_ACK_TIMEOUT_MS = 30_000;

/** How one marker write went: done (committed), to be retried later, or waiting for replication. */
export type MarkerWrite =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry' }
  | { readonly kind: 'pending'; readonly committed: Promise<boolean> };

/**
 * Writes COMMIT/ABORT control markers through partition leaders, as Kafka's transaction marker channel does with
 * WriteTxnMarkers: appended with acks=-1, so a marker counts only once the high watermark passes it; a partition
 * without a leader or without min.insync.replicas, or a leader change before the marker is committed, means the
 * marker is written again (TransactionMarkerRequestCompletionHandler retries those errors). The marker itself
 * completes the transaction in each replica's producer state, as replicas store it.
 */
export class TxnMarkerWriter {
  constructor(private readonly cluster: Cluster) {}

  write(target: TopicPartitionRef, producerId: number, producerEpoch: number, commit: boolean): MarkerWrite {
    const p = this.cluster.partition(target.topic, target.partition);
    if (!p) return { kind: 'done' }; // deleted topic: nothing left to mark
    const log = p.leaderLog;
    if (!log || p.isr.length < p.minInsyncReplicas) return { kind: 'retry' };
    const now = Date.now();
    const markerOffset = log.logEndOffset;
    const batch = buildControlBatch(producerId, producerEpoch, commit ? 'commit' : 'abort', now);
    p.appendAsLeader([toLogEntry(stampBatch(batch, markerOffset, p.leaderEpoch), now)]);
    // The LSO may move without the high watermark moving: wake read_committed long polls.
    this.cluster.notifyChange();
    if (p.highWatermark > markerOffset) return { kind: 'done' };
    const committed = p
      .awaitReplication(markerOffset, MARKER_ACK_TIMEOUT_MS)
      .then((code) => code === ErrorCode.NONE);
    return { kind: 'pending', committed };
  }
}
