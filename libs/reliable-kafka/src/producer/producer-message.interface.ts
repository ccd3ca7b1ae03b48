import type { RecordHeaders } from '../client/produce-client.interface';

/** One message given to `ReliableProducerService.send()`. */
export interface ProducerMessage {
  /** Partitioning key; messages with the same key go to the same partition, in order. */
  key?: string | Buffer | null;
  /** Buffer and string are sent as they are, `null` as a tombstone, anything else as UTF-8 JSON. */
  value: unknown;
  /**
   * Headers; the message id header (`message-id` by default) is added when absent. Sending the same message
   * object again with the same key and value reuses the id it got the first time.
   */
  headers?: RecordHeaders;
  /** Explicit partition; otherwise the key's partition (murmur2, as the Java client), or a sticky one. */
  partition?: number;
  /** Record timestamp in ms since epoch, as a string of digits; default: now. */
  timestamp?: string;
}

/** The broker's acknowledgement of one message. */
export interface SentRecordMetadata {
  topic: string;
  partition: number;
  /** Offset of this message in its partition (a string: offsets are 64-bit). */
  offset: string;
  /** The message id (its header's text; `hex:…` for an id header whose bytes are not UTF-8). */
  messageId: string;
}
