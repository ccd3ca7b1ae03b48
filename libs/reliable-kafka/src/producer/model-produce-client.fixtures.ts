import type {
  OutgoingRecord,
  PartitionProduceRequest,
  ProduceAck,
  ProduceClient,
} from '../client/produce-client.interface';
import { ProduceAttemptError, type ProduceAttemptFacts } from '../client/produce-attempt.error';

/** How the model answers one produce request. */
export type Fault =
  /** Applied and answered. */
  | { readonly kind: 'ack'; readonly delayMs: number }
  /** Refused before appending, retriable (NOT_ENOUGH_REPLICAS). */
  | { readonly kind: 'refused'; readonly delayMs: number }
  /** Refused before appending, for good (TOPIC_AUTHORIZATION_FAILED). */
  | { readonly kind: 'denied'; readonly delayMs: number }
  /** Applied, the answer lost (connection closed after the write). */
  | { readonly kind: 'lost'; readonly delayMs: number }
  /** Never reached the broker, but the client cannot tell (timeout). */
  | { readonly kind: 'vanished'; readonly delayMs: number }
  /** The broker lost this producer's state and refuses its sequence numbers (UNKNOWN_PRODUCER_ID). */
  | { readonly kind: 'sequence-refused'; readonly delayMs: number };

interface CachedBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly baseOffset: number;
  readonly ids: string;
}

interface ProducerState {
  lastSeq: number;
  readonly batches: CachedBatch[];
}

/** A violation of the produce port's contract or of Kafka's idempotence, seen by the model. */
export type Violation = string;

/**
 * A model of a Kafka cluster behind the produce port, with kafkajs' sequence numbering: numbers are taken when a
 * request starts and given back when it fails; the broker takes a batch whose numbers match one of the last five
 * it appended for the producer for a duplicate and answers that batch's offset (as Kafka's ProducerStateManager).
 * Faults are consumed one per request, in order; then every request is acknowledged.
 */
export class ModelProduceClient implements ProduceClient {
  /** Each partition's log: the message ids, in offset order. */
  readonly logs = new Map<string, string[]>();
  /** Ids that were in a request whose outcome the client reported as unknown. */
  readonly unknownIds = new Set<string>();
  readonly violations: Violation[] = [];
  renewals = 0;
  requests = 0;
  private producerId = 1;
  private readonly sequences = new Map<string, number>();
  private readonly state = new Map<string, Map<number, ProducerState>>();
  private readonly inFlight = new Set<string>();
  private faultIndex = 0;

  constructor(
    private readonly partitions: number,
    private readonly faults: readonly Fault[],
    private readonly brokerMaxBatchBytes: number,
    private readonly idHeader = 'message-id',
  ) {}

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}

  async partitionCount(): Promise<number> {
    return this.partitions;
  }

  partitionForKey(key: Buffer | string, partitionCount: number): number {
    let h = 0;
    for (const c of Buffer.from(key)) h = (h * 31 + c) >>> 0;
    return h % partitionCount;
  }

  async renewIdempotence(): Promise<void> {
    if (this.inFlight.size > 0) this.violations.push('renewIdempotence with a request in flight');
    this.renewals++;
    this.producerId++;
    this.sequences.clear();
  }

  produce(request: PartitionProduceRequest): Promise<ProduceAck> {
    this.requests++;
    const key = `${request.topic}/${request.partition}`;
    if (this.inFlight.has(key)) this.violations.push(`two requests in flight for ${key}`);
    this.inFlight.add(key);
    const firstSeq = this.sequences.get(key) ?? 0;
    this.sequences.set(key, firstSeq + request.records.length);
    const ids = request.records.map((r) => this.idOf(r));
    const producerId = this.producerId;
    const fault = this.faults[this.faultIndex++] ?? { kind: 'ack', delayMs: 1 };
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        this.inFlight.delete(key);
        const fail = (message: string, facts: ProduceAttemptFacts): void => {
          this.sequences.set(key, firstSeq); // kafkajs gives the numbers back
          if (facts.written === 'unknown') ids.forEach((id) => this.unknownIds.add(id));
          reject(new ProduceAttemptError(message, facts));
        };
        const tooLarge = request.records.reduce((n, r) => n + sizeOf(r), 0) > this.brokerMaxBatchBytes;
        if (fault.kind === 'refused') return fail('NOT_ENOUGH_REPLICAS', facts('no', true));
        if (fault.kind === 'denied') return fail('TOPIC_AUTHORIZATION_FAILED', facts('no', false));
        if (fault.kind === 'vanished') return fail('request timed out', facts('unknown', true));
        if (fault.kind === 'sequence-refused') {
          this.state.get(key)?.delete(producerId);
          return fail('UNKNOWN_PRODUCER_ID', { ...facts('no', true), sequenceRejected: true });
        }
        if (tooLarge) return fail('MESSAGE_TOO_LARGE', { ...facts('no', false), tooLarge: true });
        const appended = this.append(key, producerId, firstSeq, ids);
        if (appended === undefined)
          return fail('OUT_OF_ORDER_SEQUENCE_NUMBER', { ...facts('no', true), sequenceRejected: true });
        if (fault.kind === 'lost') return fail('connection closed', facts('unknown', true));
        resolve({ baseOffset: String(appended) });
      }, fault.delayMs);
    });
  }

  /** Kafka's duplicate and sequence checks; the base offset, or undefined for OUT_OF_ORDER_SEQUENCE_NUMBER. */
  private append(key: string, producerId: number, firstSeq: number, ids: string[]): number | undefined {
    let producers = this.state.get(key);
    if (!producers) this.state.set(key, (producers = new Map()));
    const lastSeq = firstSeq + ids.length - 1;
    const known = producers.get(producerId);
    const duplicate = known?.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
    if (duplicate) {
      if (duplicate.ids !== ids.join())
        this.violations.push(`sequence numbers of ${key} reused for other records`);
      return duplicate.baseOffset;
    }
    // Stricter than Kafka, which only sees the cached batches: numbers this producer already had appended, sent
    // again for other records, break the port's contract (the broker might have taken them for a duplicate).
    if (known && firstSeq <= known.lastSeq)
      this.violations.push(`sequence numbers ${firstSeq}..${lastSeq} of ${key} reused for other records`);
    // a producer unknown to the partition starts anywhere (its state expired or was never there)
    if (known && firstSeq !== known.lastSeq + 1) return undefined;
    const log = this.logs.get(key) ?? [];
    this.logs.set(key, log);
    const baseOffset = log.length;
    log.push(...ids);
    const entry = known ?? { lastSeq: -1, batches: [] };
    entry.lastSeq = lastSeq;
    entry.batches.push({ firstSeq, lastSeq, baseOffset, ids: ids.join() });
    if (entry.batches.length > 5) entry.batches.shift();
    producers.set(producerId, entry);
    return baseOffset;
  }

  private idOf(record: OutgoingRecord): string {
    const id = record.headers[this.idHeader];
    return String(Array.isArray(id) ? id[0] : id);
  }
}

function facts(written: 'no' | 'unknown', retriable: boolean): ProduceAttemptFacts {
  return { written, retriable, tooLarge: false, sequenceRejected: false };
}

function sizeOf(r: OutgoingRecord): number {
  return (
    (r.value === null ? 0 : Buffer.byteLength(r.value)) + (r.key === null ? 0 : Buffer.byteLength(r.key))
  );
}
