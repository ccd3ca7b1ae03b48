import type { KafkaMessage } from 'kafkajs';
import { BatchFailedError } from '../../errors/batch-failed.error';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import type { BatchSettlement, SettlementOutcome } from './batch-settlement.interface';
import type { PartitionCommitter } from './partition-committer';

/** What a settlement may do to the dedup store (null when dedup is off for the handler). */
export interface ClaimLedger {
  markDone(ids: readonly string[]): Promise<void>;
  release(ids: readonly string[]): Promise<void>;
}

/**
 * The commit step for one chunk of records. `records` are all the chunk's records (duplicates included),
 * `handled` the messages given to the handler (claimed ones). With `deferCommit` (transactional dedup) success
 * is only recorded: the runner commits after the dedup transaction itself committed.
 */
export class ChunkSettlement implements BatchSettlement {
  outcome: SettlementOutcome = 'pending';
  /**
   * How many leading records of the chunk are done and handed to the committer (the prefix before a
   * BatchFailedError); their commit may still be in flight, the batch awaits it before returning.
   */
  committedRecords = 0;
  /** How many of the committed records the handler ran (the rest were duplicates the store already knew). */
  committedHandled = 0;
  /** Offset of the message a BatchFailedError named (set by `fail`), null when the failure names none. */
  failedOffset: string | null = null;

  constructor(
    private readonly records: readonly KafkaMessage[],
    private readonly handled: readonly ReliableMessage[],
    private readonly committer: PartitionCommitter,
    private readonly ledger: ClaimLedger | null,
    private readonly deferCommit: boolean,
    private readonly onCleanupError: (stage: 'release' | 'prefix', error: unknown) => void,
    /** Told how many records (and of them handled ones) were completed, when they were. */
    private readonly onCompleted: (records: number, handled: number) => void = () => undefined,
  ) {}

  /**
   * Records the success. Without dedup the records complete at once. With dedup their ids are marked done in
   * the background (retrying until it lands or the batch stops): the records complete, and may be committed,
   * only once it landed, but the lane's next call need not wait for that round trip. The batch awaits every
   * pending mark (PartitionCommitter.track) before its last commit. If marking never lands, the claims are
   * released and the records stay unfinished (fetched again).
   */
  async succeed(): Promise<void> {
    this.outcome = 'succeeded';
    if (this.deferCommit) return;
    const ledger = this.ledger;
    if (!ledger) {
      this.completeAll();
      return;
    }
    const ids = this.handled.map((m) => m.id);
    this.committer.track(
      ledger.markDone(ids).then(
        () => this.completeAll(),
        () => ledger.release(ids).catch((cause: unknown) => this.onCleanupError('release', cause)),
      ),
    );
  }

  private completeAll(): void {
    this.committer.complete(this.records);
    // Pipelined: the next call need not wait for this round trip; the batch flushes before it returns.
    this.committer.requestCommit();
    this.committedRecords = this.records.length;
    this.committedHandled = this.handled.length;
    this.onCompleted(this.records.length, this.handled.length);
  }

  async fail(error: unknown): Promise<void> {
    if (this.outcome !== 'pending') return;
    this.outcome = 'failed';
    const index = this.failedIndex(error);
    this.failedOffset = index === null ? null : this.handled[index].offset;
    const failedOffset = index === null ? null : BigInt(this.handled[index].offset);
    const prefix = failedOffset === null ? [] : this.records.filter((r) => BigInt(r.offset) < failedOffset);
    try {
      if (prefix.length > 0) {
        await this.ledger?.markDone(this.handled.slice(0, index ?? 0).map((m) => m.id));
        this.committer.complete(prefix);
        this.committer.requestCommit();
        this.committedRecords = prefix.length;
        this.committedHandled = index ?? 0;
        this.onCompleted(this.committedRecords, this.committedHandled);
      }
    } catch (cause) {
      this.onCleanupError('prefix', cause);
    }
    const rest = this.handled.slice(this.committedRecords > 0 ? (index ?? 0) : 0);
    await this.ledger
      ?.release(rest.map((m) => m.id))
      .catch((cause: unknown) => this.onCleanupError('release', cause));
  }

  /**
   * Index (in `handled`) of the message a BatchFailedError names, by index or by the message itself; null when
   * the error names none (or an unknown one), and always in tx mode, where the whole transaction rolled back.
   */
  private failedIndex(error: unknown): number | null {
    if (this.deferCommit || !(error instanceof BatchFailedError)) return null;
    const { failedMessage } = error;
    const index = failedMessage
      ? this.handled.findIndex(
          (m) =>
            m === failedMessage ||
            (m.offset === failedMessage.offset &&
              m.partition === failedMessage.partition &&
              m.topic === failedMessage.topic),
        )
      : error.index;
    return Number.isInteger(index) && index >= 0 && index < this.handled.length ? index : null;
  }
}
