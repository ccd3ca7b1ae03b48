import type { IHeaders } from 'kafkajs';
import { DEAD_LETTER_HEADERS, deadLetterHeaders, type DeadLetterFacts } from './dead-letter-headers.util';

/** Headers a record forwarded to a retry stage carries, next to the dead-letter headers (`x-original-*` ...). */
export const RETRY_HEADERS = {
  /** 1 for the first retry topic, 2 for the second, ... */
  stage: 'x-retry-stage',
  /** Epoch milliseconds before which the stage consumer does not hand the record to the handler. */
  dueAt: 'x-retry-due-at',
} as const;

/** Where a record forwarded to a stage goes and when it is due. */
export interface RetryForward {
  /** Stage number of the destination (1-based). */
  stage: number;
  dueAt: number;
}

/**
 * The headers of a record forwarded to a retry stage: its own headers unchanged, the origin and error headers
 * of `origin` (which describes the ORIGINAL record, so `x-original-*` is set once and carried forward), the total
 * attempts so far, and the stage and due time.
 */
export function retryHeaders(origin: DeadLetterFacts, forward: RetryForward): IHeaders {
  return {
    ...deadLetterHeaders(origin),
    [RETRY_HEADERS.stage]: String(forward.stage),
    [RETRY_HEADERS.dueAt]: String(forward.dueAt),
  };
}

/** A header's value as text (the last one when repeated), undefined when absent. */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : last.toString();
}

/** When a stage record is due (epoch ms); 0 (due now) when it carries no valid due time. */
export function retryDueAt(headers: IHeaders | undefined): number {
  const due = Number(headerText(headers, RETRY_HEADERS.dueAt));
  return Number.isFinite(due) ? due : 0;
}

/** The consumer group that forwarded a stage record, undefined for a record produced by someone else. */
export function retryOwnerGroup(headers: IHeaders | undefined): string | undefined {
  return headerText(headers, DEAD_LETTER_HEADERS.consumerGroup);
}
