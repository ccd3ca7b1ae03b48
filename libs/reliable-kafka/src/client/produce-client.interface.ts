/** A header value as Kafka clients take it: bytes or text, possibly repeated. */
export type HeaderValue = Buffer | string | Array<Buffer | string>;

/** Headers of one record (`undefined` entries are ignored). */
export type RecordHeaders = Record<string, HeaderValue | undefined>;

/** One record as it goes on the wire: key and value already encoded. */
export interface OutgoingRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: RecordHeaders;
  /** Milliseconds since epoch, as a decimal string; absent: the client's clock. */
  readonly timestamp?: string;
}

/** One produce request for exactly one partition. */
export interface PartitionProduceRequest {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly OutgoingRecord[];
  readonly acks: -1 | 0 | 1;
  /** How long the broker may wait for the in-sync replicas (Kafka's request `timeout`). */
  readonly ackTimeoutMs: number;
}

/** The broker's acknowledgement of one partition request: the first record's offset. */
export interface ProduceAck {
  /** Offset of the request's first record; `'-1'` with acks 0 (the broker does not answer). */
  readonly baseOffset: string;
}

/**
 * The producer side of the client port: what the delivery engine needs from a Kafka client (kafkajs today).
 *
 * Sequence numbers (idempotent producers): the client numbers a partition's records when a request starts and, if
 * the request fails, gives the numbers back for the next request (kafkajs 2.2.4 does exactly this, see
 * `eosManager.updateSequence` in its `sendMessages.js`). A broker that did apply the failed request then takes the
 * next request with those numbers for a duplicate of it. The caller therefore keeps to three rules:
 * 1. at most one `produce` in flight per partition;
 * 2. after a failed `produce` whose records may have been written (`ProduceAttemptError.written === 'unknown'`),
 *    the next request to that partition carries exactly the same records, or `renewIdempotence()` runs first;
 * 3. `renewIdempotence()` runs only while no `produce` is in flight.
 */
export interface ProduceClient {
  connect(): Promise<void>;
  /**
   * Partitions of `topic`, from cluster metadata (cached by the caller). Asks for auto-creation where the
   * cluster allows it. Rejects with ProduceAttemptError (`written: 'no'`) while the topic is unknown.
   */
  partitionCount(topic: string): Promise<number>;
  /** The partition of a keyed record among `partitionCount` (the client's default partitioner). */
  partitionForKey(key: Buffer | string, partitionCount: number): number;
  /**
   * Sends one partition's records as one request (one attempt, no retries of its own).
   * @throws ProduceAttemptError saying whether the records may have been written
   */
  produce(request: PartitionProduceRequest): Promise<ProduceAck>;
  /** Starts a new idempotent session (new producer id, sequences from 0). Only with nothing in flight. */
  renewIdempotence(): Promise<void>;
  disconnect(): Promise<void>;
}
