import type { RecordMetadata } from 'kafkajs';

/** Where one message of a produce request went. */
export interface MessagePlacement {
  topic: string;
  partition: number;
}

/**
 * Gives every message of one produce request its offset.
 * kafkajs answers with one RecordMetadata per topic-partition (its `baseOffset`); the broker appends a partition's
 * messages consecutively in request order, so the k-th message sent to a partition sits at baseOffset + k.
 * `placements` must be in the order the messages were handed to kafkajs.
 * @throws Error when a partition that received messages has no result (never resolve a send without its ack).
 */
export function assignOffsets(
  placements: readonly MessagePlacement[],
  results: readonly RecordMetadata[],
): string[] {
  const next = new OffsetCounter(results);
  return placements.map(({ topic, partition }) => next.take(topic, partition));
}

/** Far below 2^53, so adding a request's message count to it stays exact in a double. */
const SAFE_BASE = BigInt(Number.MAX_SAFE_INTEGER) - 2n ** 32n;

/**
 * Hands out each partition's next offset, from the baseOffsets of one produce response.
 * Offsets are 64-bit; they are counted in plain numbers while exact (every real log), in bigint beyond.
 */
export class OffsetCounter {
  private readonly next = new Map<string, Map<number, number | bigint>>();

  constructor(results: readonly RecordMetadata[]) {
    for (const result of results) {
      if (result.baseOffset === undefined || result.baseOffset === null) continue;
      const base = BigInt(result.baseOffset);
      let partitions = this.next.get(result.topicName);
      if (!partitions) this.next.set(result.topicName, (partitions = new Map()));
      partitions.set(result.partition, base < SAFE_BASE ? Number(base) : base);
    }
  }

  /**
   * The offset of the next message written to `topic`/`partition` by this request.
   * @throws Error when that partition has no result (never resolve a send without its ack).
   */
  take(topic: string, partition: number): string {
    const partitions = this.next.get(topic);
    const offset = partitions?.get(partition);
    if (partitions === undefined || offset === undefined)
      throw new Error(`no acknowledgement for ${topic}/${partition} in the produce response`);
    partitions.set(partition, typeof offset === 'number' ? offset + 1 : offset + 1n);
    return String(offset);
  }
}
