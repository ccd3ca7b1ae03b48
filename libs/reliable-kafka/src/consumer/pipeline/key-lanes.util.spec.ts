import type { KafkaMessage } from 'kafkajs';
import { chunksOf, splitIntoLanes } from './key-lanes.util';

const rec = (offset: number, key: string | null): KafkaMessage => ({
  offset: String(offset),
  key: key === null ? null : Buffer.from(key),
  value: null,
  headers: {},
  timestamp: '0',
  attributes: 0,
});
const offsets = (lanes: KafkaMessage[][]) => lanes.map((lane) => lane.map((r) => r.offset).join(','));

describe('splitIntoLanes', () => {
  const batch = [rec(0, 'a'), rec(1, 'b'), rec(2, null), rec(3, 'a'), rec(5, null), rec(6, 'c'), rec(7, 'b')];

  it('keeps a partition batch in one lane, in log order', () => {
    expect(offsets(splitIntoLanes(batch, 'partition', 2))).toEqual(['0,1,2,3,5,6,7']);
  });

  it('gives every key its own lane in log order, and all keyless records one lane', () => {
    expect(offsets(splitIntoLanes(batch, 'key', 2))).toEqual(['0,3', '1,7', '2,5', '6']);
  });

  it('tells keys apart byte for byte', () => {
    const lanes = splitIntoLanes(
      [
        { ...rec(0, null), key: Buffer.from([0xff]) },
        { ...rec(1, null), key: Buffer.from([0xfe]) },
        { ...rec(2, null), key: Buffer.from([0xff]) },
        rec(3, ''),
      ],
      'key',
      10,
    );
    expect(offsets(lanes)).toEqual(['0,2', '1', '3']);
  });

  it('cuts an unordered batch into independent chunks of maxBatchSize', () => {
    expect(offsets(splitIntoLanes(batch, 'unordered', 3))).toEqual(['0,1,2', '3,5,6', '7']);
  });

  it('has no lanes for an empty batch', () => {
    expect(splitIntoLanes([], 'key', 5)).toEqual([]);
  });
});

describe('chunksOf', () => {
  it('slices consecutively and never loops on a size below one', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([1, 2], 0)).toEqual([[1], [2]]);
  });
});
