/** One consumed record as a reliable handler sees it. */
export interface ReliableMessage<T = unknown> {
  /** Dedup id: the message-id header, else the user extractor's answer, else `topic/partition/offset`. */
  id: string;
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
