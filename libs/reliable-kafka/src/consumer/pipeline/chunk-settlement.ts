import type { KafkaMessage } from 'kafkajs';
import { dedupKeysOf } from '../../dedup/dedup-key.util';
import { BatchFailedError } from '../../errors/batch-failed.error';
import { BatchNotAcknowledgedError } from '../../errors/batch-not-acknowledged.error';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import type { BatchScope } from './batch-scope';
import type { CallResult } from './handler-call';

/** What a settlement may do to the dedup store (null when dedup is off for the handler). */
export interface ClaimLedger {
  /** Marks ids done; retries until it lands or the batch stops (then rejects). */
  markDone(ids: readonly string[]): Promise<void>;
  release(ids: readonly string[]): Promise<void>;
}

/** What one attempt at a chunk came to. */
export interface ChunkResult {
  /**
   * Leading records of the chunk the lane is done with: completed, or completing once their dedup marks land
   * (if a mark never lands their claims are released and they stay unfinished, fetched again).
   */
  readonly handled: number;
  /** Why the rest was not handled: the handler's or the store's error. Absent when the whole chunk was. */
  readonly error?: unknown;
  /** Offset of the record the failure names (a `BatchFailedError`), when it names one. */
  readonly failedOffset?: string;
  /**
   * The dedup mark of a successful chunk, still landing in the background: true once it landed, false when it
   * was given up (the batch stopped first). The lane lets at most one of these be in flight (MarkWindow).
   */
  readonly marking?: Promise<boolean>;
}

/** Where a cleanup (a release, the failed chunk's prefix) went wrong; logged, never thrown. */
export type CleanupErrorReporter = (stage: 'release' | 'prefix', error: unknown) => void;

/**
 * The settle step of a chunk, after the handler call: marks ids done in the dedup store, releases the claims of
 * what did not succeed, and reports the records that completed to the partition's committer, which alone decides
 * what may be committed. Counts processed (ran by the handler) and deduplicated (known done) records as they
 * complete.
 */
export class ChunkSettlement {
  constructor(
    private readonly scope: BatchScope,
    private readonly ledger: ClaimLedger | null,
    private readonly onCleanupError: CleanupErrorReporter,
  ) {}

  /** Every id of the chunk was done already: nothing ran, every record completes. */
  duplicates(records: readonly KafkaMessage[]): ChunkResult {
    this.complete(records, 0);
    return { handled: records.length };
  }

  /**
   * The call succeeded. Without dedup the records complete at once. With dedup their ids are marked done in the
   * background, so the lane's next call need not wait for that round trip: the records complete once it landed
   * (the batch awaits every pending mark before its last commit); if it never lands, the claims are released.
   */
  succeeded(records: readonly KafkaMessage[], handled: readonly ReliableMessage[]): ChunkResult {
    const ledger = this.ledger;
    if (!ledger) {
      this.complete(records, handled.length);
      return { handled: records.length };
    }
    const ids = dedupKeysOf(handled);
    const marking = ledger.markDone(ids).then(
      () => {
        this.complete(records, handled.length);
        return true;
      },
      () => this.release(ids).then(() => false),
    );
    this.scope.committer.track(marking);
    return { handled: records.length, marking };
  }

  /** Effects and dedup rows committed in one transaction: every record completes. */
  committedInTransaction(records: readonly KafkaMessage[], handledCount: number): ChunkResult {
    this.complete(records, handledCount);
    return { handled: records.length };
  }

  /**
   * The call failed: the records before the message a `BatchFailedError` names are marked done (awaited) and
   * complete; the claims of the others are released. Nothing past the failure completes.
   */
  async failed(
    records: readonly KafkaMessage[],
    handled: readonly ReliableMessage[],
    error: unknown,
    /** The call was given up but may still be running (see CallResult): its claims stay its own until it ends. */
    stillRunning?: Promise<CallResult>,
  ): Promise<ChunkResult> {
    if (stillRunning) {
      this.keepClaimsUntilSettled(handled, stillRunning);
      return { handled: 0, error };
    }
    const index = failedIndex(error, handled);
    const failedOffset = index === null ? undefined : handled[index].offset;
    let completed = 0;
    let marked = 0;
    if (index !== null) {
      const failed = BigInt(handled[index].offset);
      const prefix = records.filter((r) => BigInt(r.offset) < failed);
      try {
        if (prefix.length > 0) {
          await this.ledger?.markDone(dedupKeysOf(handled.slice(0, index)));
          this.complete(prefix, index);
          completed = prefix.length;
          marked = index;
        }
      } catch (cause) {
        this.onCleanupError('prefix', cause);
      }
    }
    await this.release(dedupKeysOf(handled.slice(marked)));
    return { handled: completed, error, ...(failedOffset !== undefined && { failedOffset }) };
  }

  /**
   * A call given up (past its timeout, or at shutdown) may still apply its effects: its claims are not released,
   * so a retry here or on the partition's next owner waits instead of running the records a second time. When
   * the call ends its ids are marked done if it succeeded after all (the retry then finds them done), else
   * released. A process that exits first leaves the claims to their TTL (or to the partition's next owner).
   */
  private keepClaimsUntilSettled(
    handled: readonly ReliableMessage[],
    stillRunning: Promise<CallResult>,
  ): void {
    const ledger = this.ledger;
    if (!ledger) return;
    const ids = dedupKeysOf(handled);
    void stillRunning.then((late) =>
      late.ok ? ledger.markDone(ids).catch(() => undefined) : this.release(ids),
    );
  }

  private complete(records: readonly KafkaMessage[], handledCount: number): void {
    this.scope.committer.complete(records);
    const { telemetry, ref } = this.scope;
    if (handledCount > 0) telemetry.messagesProcessed(ref, handledCount);
    if (records.length > handledCount) telemetry.messagesDeduplicated(ref, records.length - handledCount);
  }

  private async release(ids: readonly string[]): Promise<void> {
    if (!this.ledger || ids.length === 0) return;
    await this.ledger.release(ids).catch((cause: unknown) => this.onCleanupError('release', cause));
  }
}

/**
 * Index (in `handled`) of the message a BatchFailedError names, by index or by the message itself (also when an
 * exception filter swallowed it: the commit step kept it as the cause); null when the error names none.
 */
function failedIndex(error: unknown, handled: readonly ReliableMessage[]): number | null {
  const named = error instanceof BatchNotAcknowledgedError ? error.cause : error;
  if (!(named instanceof BatchFailedError)) return null;
  const { failedMessage } = named;
  const index = failedMessage
    ? handled.findIndex(
        (m) =>
          m === failedMessage ||
          (m.offset === failedMessage.offset &&
            m.partition === failedMessage.partition &&
            m.topic === failedMessage.topic),
      )
    : named.index;
  return Number.isInteger(index) && index >= 0 && index < handled.length ? index : null;
}
