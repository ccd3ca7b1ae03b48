import type { RecordHeaders } from '../client/produce-client.interface';

/** What became of one message of a send that failed. */
export type MessageDeliveryStatus =
  /** In the log at `partition`/`offset`. */
  | 'written'
  /** Certainly not in the log: the broker refused it before appending, or it was never sent. */
  | 'not-written'
  /** Perhaps in the log (lost response, timeout with a request in flight). */
  | 'unknown';

/** One message of a failed send: its id, where it went and what is known of it. */
export interface MessageDeliveryOutcome {
  readonly messageId: string;
  readonly status: MessageDeliveryStatus;
  /** The partition it was (or would have been) sent to, once one was chosen. */
  readonly partition?: number;
  /** Its offset, when `status` is `'written'`. */
  readonly offset?: string;
}

/**
 * A message ready to be passed to `send()` again: the original key, value (encoded) and headers, including the
 * message id header, so a resend carries the same id and consumer dedup can recognise a copy.
 */
export interface ResendableMessage {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: RecordHeaders;
  readonly partition?: number;
  readonly timestamp?: string;
}

/** The whole send, summed up. */
export type SendOutcome =
  /** No message of the send is in the log: safe to resend. */
  | 'not-written'
  /** Some messages are in the log (see `messages`), the others certainly not: resend `resendable`. */
  | 'partially-written'
  /** Some messages may be in the log: resend `resendable` (same ids); consumer dedup drops the copies. */
  | 'unknown';

/**
 * A send was not acknowledged within `deliveryTimeoutMs`, or the broker refused it for good. `outcome` and
 * `messages` say exactly what is known of each message; `resendable` holds the messages to send again, with their
 * ids, and `partitions` the partitions that failed.
 */
export class DeliveryError extends Error {
  /** Summary of `messages`. */
  readonly outcome: SendOutcome;
  /** Ids of the send's messages, in send order. */
  readonly messageIds: readonly string[];
  /** Partitions whose messages were not written (or perhaps not). */
  readonly partitions: readonly number[];
  /** The messages that are not certainly in the log, ready for `send()` with their ids. */
  readonly resendable: readonly ResendableMessage[];

  constructor(
    /** Topic of the failed send. */
    readonly topic: string,
    /** The last error seen (the broker's answer, a timeout, the client's error). */
    override readonly cause: unknown,
    /** Produce attempts made for the messages of this send (the most any of its requests took). */
    readonly attempts: number,
    /** One entry per message, in send order. */
    readonly messages: readonly MessageDeliveryOutcome[],
    resendable: readonly ResendableMessage[] = [],
  ) {
    const outcome = summarize(messages);
    super(
      `Delivery to topic '${topic}' failed after ${attempts} attempt(s) (${outcome}): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
    this.name = 'DeliveryError';
    this.outcome = outcome;
    this.messageIds = messages.map((m) => m.messageId);
    this.partitions = [
      ...new Set(
        messages.flatMap((m) => (m.status !== 'written' && m.partition !== undefined ? [m.partition] : [])),
      ),
    ].sort((a, b) => a - b);
    this.resendable = resendable;
  }
}

function summarize(messages: readonly MessageDeliveryOutcome[]): SendOutcome {
  if (messages.some((m) => m.status === 'unknown')) return 'unknown';
  return messages.some((m) => m.status === 'written') ? 'partially-written' : 'not-written';
}
