import type { Partition } from './partition';
import type { LogEntry } from './partition-log';

/**
 * Applies retention.ms / retention.bytes to every replica of a partition at once: entries are shared between
 * replicas, so memory is freed only when all of them drop a batch. Never deletes past the high watermark.
 */
export function applyRetention(p: Partition, now: number): void {
  const retentionMs = p.config.number('retention.ms');
  const retentionBytes = p.config.number('retention.bytes');
  const leaderLog = p.leaderLog;
  if (!leaderLog) return;
  let size = leaderLog.sizeBytes;
  const drop = (e: LogEntry): boolean => {
    const expired = retentionMs >= 0 && now - Math.max(e.maxTimestamp, e.appendedAt) > retentionMs;
    const tooBig = retentionBytes >= 0 && size > retentionBytes;
    if (expired || tooBig) size -= e.bytes.length;
    return expired || tooBig;
  };
  leaderLog.trimHead(drop, p.highWatermark);
  for (const [id, log] of p.logs) {
    if (id !== p.leader && log.logStartOffset < leaderLog.logStartOffset) {
      log.trimHead((e) => e.lastOffset < leaderLog.logStartOffset, leaderLog.logStartOffset);
    }
  }
}
