import type { RecordMetadata } from 'kafkajs';
import { assignOffsets } from './record-metadata.util';

const result = (topicName: string, partition: number, baseOffset: string): RecordMetadata => ({
  topicName,
  partition,
  errorCode: 0,
  baseOffset,
});

describe('assignOffsets', () => {
  it("numbers each partition's messages consecutively from its baseOffset, in request order", () => {
    const placements = [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 0 },
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 0 },
    ];
    const results = [result('b', 0, '7'), result('a', 1, '40'), result('a', 0, '10')];
    expect(assignOffsets(placements, results)).toEqual(['10', '40', '11', '7', '12', '8']);
  });

  it('keeps 64-bit offsets exact', () => {
    const offsets = assignOffsets(
      [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 0 },
      ],
      [result('t', 0, '9007199254740993')],
    );
    expect(offsets).toEqual(['9007199254740993', '9007199254740994']);
  });

  it('throws when a partition that received messages was not acknowledged', () => {
    expect(() => assignOffsets([{ topic: 't', partition: 2 }], [result('t', 0, '1')])).toThrow(
      /no acknowledgement for t\/2/,
    );
  });
});
