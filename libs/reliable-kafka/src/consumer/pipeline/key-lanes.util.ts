import type { KafkaMessage } from 'kafkajs';
import type { OrderingMode } from '../../interfaces/batch-handler-options.interface';

/**
 * Splits one kafkajs batch (one partition, log order) into lanes. A lane is handled in order, one handler call
 * at a time, in chunks of up to `maxBatchSize` of its records; different lanes may run at once.
 * - `partition`: one lane, the whole batch (today's sequential behaviour);
 * - `key`: one lane per key, in order of each key's first record; every record without a key shares one lane,
 *   so a handler call never mixes keys and a key's next record never starts before its previous one ended;
 * - `unordered`: one lane per `maxBatchSize` records, so every chunk may run beside every other.
 * Records keep their log order inside each lane.
 */
export function splitIntoLanes(
  records: readonly KafkaMessage[],
  mode: OrderingMode,
  maxBatchSize: number,
): KafkaMessage[][] {
  if (records.length === 0) return [];
  if (mode === 'partition') return [records.slice()];
  if (mode === 'unordered') return chunksOf(records, maxBatchSize);
  const lanes = new Map<string | null, KafkaMessage[]>();
  for (const record of records) {
    // latin1 maps every byte to one char: distinct byte strings stay distinct keys.
    const key = record.key === null || record.key === undefined ? null : record.key.toString('latin1');
    const lane = lanes.get(key);
    if (lane) lane.push(record);
    else lanes.set(key, [record]);
  }
  return [...lanes.values()];
}

/** Consecutive slices of up to `size` records. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += step) chunks.push(items.slice(start, start + step));
  return chunks;
}
