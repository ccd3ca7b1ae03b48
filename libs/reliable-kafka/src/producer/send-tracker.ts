import { DeliveryError, type MessageDeliveryOutcome } from '../errors/delivery.error';
import type { PreparedRecord } from './prepare-records.util';
import type { SentRecordMetadata } from './producer-message.interface';

/** What became of one record; the first outcome a record gets is final. */
export type RecordOutcome =
  | { readonly status: 'written'; readonly partition: number; readonly offset: string }
  | { readonly status: 'not-written' | 'unknown'; readonly partition?: number; readonly cause: unknown };

/** How a send ends: the caller's promise callbacks. */
export interface SendCallbacks {
  resolve(metadata: SentRecordMetadata[]): void;
  reject(error: DeliveryError): void;
  /** A request holding records of this send failed and will be retried in `retryInMs` (for logs). */
  attemptFailed?(cause: unknown, retryInMs: number): void;
}

/**
 * One `send()` call: its records, its deadline and each record's outcome. It settles once every record has one:
 * resolved with the metadata when all were written, else rejected with a DeliveryError that says, per message,
 * what is known.
 */
export class SendTracker {
  private readonly outcomes: Array<RecordOutcome | undefined>;
  private open: number;
  /** The most attempts any request of this send took. */
  private attempts = 0;
  /** The cause of the send's first failed record (the others may only have been stopped because of it). */
  private firstCause: unknown;

  constructor(
    readonly topic: string,
    readonly records: readonly PreparedRecord[],
    /** Epoch ms after which nothing of this send is started and the send settles. */
    readonly deadline: number,
    private readonly callbacks: SendCallbacks,
  ) {
    this.outcomes = new Array<RecordOutcome | undefined>(records.length);
    this.open = records.length;
  }

  get settled(): boolean {
    return this.open === 0;
  }

  /** True once a record of this send failed: its other records need not be sent any more. */
  get failed(): boolean {
    return this.firstCause !== undefined;
  }

  outcomeOf(index: number): RecordOutcome | undefined {
    return this.outcomes[index];
  }

  /** A request of this send failed and is retried: tells the caller, if it listens. */
  attemptFailed(cause: unknown, retryInMs: number): void {
    if (!this.settled) this.callbacks.attemptFailed?.(cause, retryInMs);
  }

  noteAttempt(attempts: number): void {
    if (attempts > this.attempts) this.attempts = attempts;
  }

  /** Records the outcome of record `index` (ignored when it already has one); settles the send on the last. */
  settle(index: number, outcome: RecordOutcome): boolean {
    if (this.outcomes[index] !== undefined) return false;
    this.outcomes[index] = outcome;
    if (outcome.status !== 'written') this.firstCause ??= outcome.cause ?? new Error('not delivered');
    if (--this.open === 0) this.finish();
    return true;
  }

  private finish(): void {
    if (this.firstCause === undefined) {
      this.callbacks.resolve(
        this.records.map((r, i) => {
          const o = this.outcomes[i] as Extract<RecordOutcome, { status: 'written' }>;
          return { topic: this.topic, partition: o.partition, offset: o.offset, messageId: r.messageId };
        }),
      );
      return;
    }
    const messages = this.records.map((r, i): MessageDeliveryOutcome => {
      const o = this.outcomes[i] as RecordOutcome;
      return o.status === 'written'
        ? { messageId: r.messageId, status: 'written', partition: o.partition, offset: o.offset }
        : {
            messageId: r.messageId,
            status: o.status,
            ...(o.partition !== undefined && { partition: o.partition }),
          };
    });
    const resendable = this.records
      .filter((_, i) => this.outcomes[i]?.status !== 'written')
      .map((r) => ({
        ...r.record,
        ...(r.explicitPartition !== undefined && { partition: r.explicitPartition }),
      }));
    this.callbacks.reject(
      new DeliveryError(this.topic, this.firstCause, this.attempts, messages, resendable),
    );
  }
}
