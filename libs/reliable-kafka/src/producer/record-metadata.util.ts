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
  const next = new Map<string, bigint>();
  for (const result of results) {
    if (result.baseOffset === undefined || result.baseOffset === null) continue;
    next.set(placementKey(result.topicName, result.partition), BigInt(result.baseOffset));
  }
  return placements.map(({ topic, partition }) => {
    const key = placementKey(topic, partition);
    const offset = next.get(key);
    if (offset === undefined)
      throw new Error(`no acknowledgement for ${topic}/${partition} in the produce response`);
    next.set(key, offset + 1n);
    return offset.toString();
  });
}

function placementKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}
