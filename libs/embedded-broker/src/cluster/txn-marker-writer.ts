import { buildControlBatch, stampBatch } from '../protocol/record-batch';
import { Cluster } from './cluster';
import { toLogEntry } from './partition-log';
import { TopicPartitionRef } from './txn-metadata';

/**
 * Writes COMMIT/ABORT control markers through partition leaders, as Kafka's transaction marker channel does.
 * A marker completes the partition's open transaction (moving the LSO) and, when written with a bumped epoch,
 * fences the producer's older epoch on that partition.
 */
export class TxnMarkerWriter {
  constructor(private readonly cluster: Cluster) {}

  /** Writes a marker to each partition that has a leader; returns the partitions still waiting for one. */
  write(
    targets: readonly TopicPartitionRef[],
    producerId: number,
    producerEpoch: number,
    committed: boolean,
  ): TopicPartitionRef[] {
    const waiting: TopicPartitionRef[] = [];
    const now = Date.now();
    for (const t of targets) {
      const p = this.cluster.partition(t.topic, t.partition);
      if (!p) continue; // deleted topic: nothing left to mark
      const log = p.leaderLog;
      if (!log) {
        waiting.push(t);
        continue;
      }
      const markerOffset = log.logEndOffset;
      const batch = buildControlBatch(producerId, producerEpoch, committed ? 'commit' : 'abort', now);
      p.appendAsLeader([toLogEntry(stampBatch(batch, markerOffset, p.leaderEpoch), now)]);
      p.producers.fence(producerId, producerEpoch);
      p.txns.complete(producerId, markerOffset, committed);
    }
    // The LSO may move without the high watermark moving: wake read_committed long polls.
    this.cluster.notifyChange();
    return waiting;
  }
}
