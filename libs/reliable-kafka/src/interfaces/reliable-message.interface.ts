/** One consumed record as a reliable handler sees it. */
export interface ReliableMessage<T = unknown> {
  /**
   * Message id as text: the message-id header, else the `messageIdExtractor`'s answer, else `topic/partition/offset`;
   * an id whose bytes are not UTF-8 reads `hex:<bytes in hex>`. Dedup compares `idBytes`, never this text.
   */
  id: string;
  /** The id's bytes, as the header (or the extractor) gave them: what dedup compares. */
  idBytes: Buffer;
  topic: string;
  partition: number;
  /** Kafka offset as a decimal string (offsets are 64-bit). */
  offset: string;
  /** Key decoded as UTF-8, or null. */
  key: string | null;
  /** Deserialized value (JSON by default). */
  value: T;
  /** Headers decoded as UTF-8 (a repeated header keeps its last value). */
  headers: Record<string, string>;
  /** Record timestamp in ms since the epoch, as a string (as kafkajs reports it). */
  timestamp: string;
}
