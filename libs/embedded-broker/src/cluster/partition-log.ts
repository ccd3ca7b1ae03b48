import type { LogEntry } from './log-entry';
import { ProducerStateTable } from './producer-state';
import { ReplicaState } from './replica-state';
import { TxnIndex } from './txn-index';

export type { LogEntry } from './log-entry';
export { toLogEntry } from './log-entry';

/**
 * The log of one replica of one partition, with the producer state and transaction index derived from it (the
 * role of Kafka's UnifiedLog). Entries are immutable and shared between replicas (a follower "fetching" from the
 * leader appends the same Buffer), so replication costs no copies; the derived state is this replica's own.
 */
export class PartitionLog {
  private entries: LogEntry[] = [];
  private startOffset = 0;
  private endOffset = 0;
  private bytes = 0;
  private state = new ReplicaState();
  /** The state as of the log start: what retention removed still counts (Kafka keeps it until expiry). */
  private baseline = new ReplicaState();

  get producers(): ProducerStateTable {
    return this.state.producers;
  }

  get txns(): TxnIndex {
    return this.state.txns;
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  /** Offset the next appended record gets (Kafka's LEO). */
  get logEndOffset(): number {
    return this.endOffset;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  append(entry: LogEntry): void {
    this.entries.push(entry);
    this.endOffset = entry.lastOffset + 1;
    this.bytes += entry.bytes.length;
    this.state.apply(entry);
  }

  /** Entries with offsets >= from, the first one possibly starting before it (clients skip those records). */
  entriesFrom(from: number): LogEntry[] {
    const i = this.indexOf(from);
    return i < 0 ? [] : this.entries.slice(i);
  }

  /** Reads whole batches from `from` up to `limit` (exclusive) and roughly maxBytes (at least one batch). */
  read(from: number, limit: number, maxBytes: number): Buffer[] {
    const out: Buffer[] = [];
    let size = 0;
    for (let i = this.indexOf(from); i >= 0 && i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.lastOffset >= limit) break;
      if (out.length > 0 && size + e.bytes.length > maxBytes) break;
      out.push(e.bytes);
      size += e.bytes.length;
    }
    return out;
  }

  /** Index of the entry containing `offset`, or -1 (binary search: fetches happen on every poll). */
  private indexOf(offset: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].lastOffset >= offset) {
        ans = mid;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return ans;
  }

  /** Drops everything at or after `offset` (follower truncation after a leader change). */
  truncateTo(offset: number): void {
    while (this.entries.length > 0 && this.entries[this.entries.length - 1].baseOffset >= offset) {
      const e = this.entries.pop() as LogEntry;
      this.bytes -= e.bytes.length;
    }
    this.endOffset = Math.max(this.startOffset, Math.min(this.endOffset, offset));
    const last = this.entries[this.entries.length - 1];
    if (last && last.lastOffset >= offset) this.endOffset = last.lastOffset + 1;
    // As ProducerStateManager.truncateAndReload: the state is what the remaining log says, nothing more.
    this.state = this.baseline.clone();
    for (const e of this.entries) this.state.apply(e);
  }

  /**
   * A follower keeps only the prefix it shares with the new leader; entries are shared objects, so identity
   * tells (Kafka compares leader epochs; an unclean election's divergent suffix is cut the same way).
   */
  truncateToSharedPrefix(leader: PartitionLog): void {
    let keepUntil = this.startOffset;
    for (const e of this.entries) {
      if (leader.entriesFrom(e.baseOffset)[0] !== e) break;
      keepUntil = e.lastOffset + 1;
    }
    if (keepUntil < this.endOffset) this.truncateTo(keepUntil);
  }

  /** Deletes whole batches from the head, as retention does (never past `upTo`). */
  trimHead(shouldDrop: (e: LogEntry) => boolean, upTo: number): void {
    let n = 0;
    while (n < this.entries.length && this.entries[n].lastOffset < upTo && shouldDrop(this.entries[n])) {
      this.bytes -= this.entries[n].bytes.length;
      this.baseline.apply(this.entries[n]);
      n++;
    }
    if (n === 0) return;
    this.startOffset = this.entries[n - 1].lastOffset + 1;
    this.entries = this.entries.slice(n);
    this.state.txns.dropBefore(this.startOffset);
    this.baseline.txns.dropBefore(this.startOffset);
  }

  /** producer.id.expiration.ms: idle producers are forgotten, here and in what a truncation would rebuild from. */
  expireProducers(now: number, expirationMs: number): void {
    this.state.producers.expire(now, expirationMs);
    this.baseline.producers.expire(now, expirationMs);
  }

  /**
   * Empties the log to restart at `offset`, when a follower fell behind the leader's log start. Its producer
   * state goes with it, as in ProducerStateManager.truncateFullyAndStartAt.
   */
  resetTo(offset: number): void {
    this.entries = [];
    this.bytes = 0;
    this.startOffset = offset;
    this.endOffset = offset;
    this.state = new ReplicaState();
    this.baseline = new ReplicaState();
  }

  /** Earliest offset whose batch max timestamp is >= ts, or null (ListOffsets by timestamp). */
  offsetForTimestamp(ts: number, limit: number): { offset: number; timestamp: number } | null {
    for (const e of this.entries) {
      if (e.baseOffset >= limit) break;
      if (!e.control && e.maxTimestamp >= ts)
        return { offset: Math.max(e.baseOffset, this.startOffset), timestamp: e.maxTimestamp };
    }
    return null;
  }

  /** Appends the source's entries past our end, up to `upTo` (exclusive): a follower's fetch. */
  replicateFrom(source: PartitionLog, upTo: number): void {
    if (this.endOffset < source.logStartOffset) this.resetTo(source.logStartOffset);
    for (const e of source.entriesFrom(this.endOffset)) {
      if (e.lastOffset >= upTo) break;
      if (e.baseOffset >= this.endOffset) this.append(e);
    }
  }
}
