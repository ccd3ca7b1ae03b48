import type { IHeaders } from 'kafkajs';

/** One message given to `ReliableProducerService.send()`. */
export interface ProducerMessage {
  /** Partitioning key; messages with the same key go to the same partition, in order. */
  key?: string | Buffer | null;
  /** Buffer and string are sent as they are, `null` as a tombstone, anything else as UTF-8 JSON. */
  value: unknown;
  /** Headers; a `message-id` header (name configurable) is added when absent. */
  headers?: IHeaders;
  /** Explicit partition; otherwise chosen by kafkajs' default partitioner. */
  partition?: number;
  /** Record timestamp in ms since epoch, as a string (kafkajs' convention); default: now. */
  timestamp?: string;
}

/** The broker's acknowledgement of one message. */
export interface SentRecordMetadata {
  topic: string;
  partition: number;
  /** Offset of this message in its partition (a string: offsets are 64-bit). */
  offset: string;
  /** The message id header value, as stamped or as given. */
  messageId: string;
}
