import type { KafkaMessage } from 'kafkajs';
import { DeserializationError } from '../../errors/deserialization.error';
import { jsonDeserializer } from '../../options/default-options';
import { mapRecords, toReliableMessage, type MessageMapping } from './message-mapper.util';

const record = (
  offset: string,
  value: string | null,
  headers: KafkaMessage['headers'] = {},
): KafkaMessage => ({
  offset,
  key: Buffer.from('k1'),
  value: value === null ? null : Buffer.from(value),
  headers,
  timestamp: '1700000000000',
  attributes: 0,
});

const mapping: MessageMapping = {
  messageIdHeader: 'message-id',
  messageIdExtractor: undefined,
  deserializer: jsonDeserializer,
};

describe('toReliableMessage', () => {
  it('decodes key, JSON value, headers and takes the id from the header', () => {
    const m = toReliableMessage(
      'orders',
      2,
      record('7', '{"a":1}', { 'message-id': Buffer.from('m-1'), x: ['1', '2'] }),
      mapping,
    );
    expect(m).toEqual({
      id: 'm-1',
      idBytes: Buffer.from('m-1'),
      topic: 'orders',
      partition: 2,
      offset: '7',
      key: 'k1',
      value: { a: 1 },
      headers: { 'message-id': 'm-1', x: '2' },
      timestamp: '1700000000000',
    });
  });

  it('falls back to the extractor, then to topic/partition/offset', () => {
    const withExtractor = {
      ...mapping,
      messageIdExtractor: (v: Buffer | null) => (v ? `x-${v.length}` : undefined),
    };
    expect(toReliableMessage('t', 0, record('1', '"ab"'), withExtractor).id).toBe('x-4');
    expect(toReliableMessage('t', 0, record('1', null), withExtractor).id).toBe('t/0/1');
    expect(toReliableMessage('t', 3, record('9', '1'), mapping).id).toBe('t/3/9');
  });

  it('keeps tombstones as null and uses a custom deserializer', () => {
    expect(toReliableMessage('t', 0, record('1', null), mapping).value).toBeNull();
    const upper = { ...mapping, deserializer: (v: Buffer | null) => v?.toString().toUpperCase() };
    expect(toReliableMessage('t', 0, record('1', 'abc'), upper).value).toBe('ABC');
  });

  it('raises DeserializationError naming topic, partition and offset', () => {
    try {
      toReliableMessage('orders', 4, record('42', '{not json'), mapping);
      throw new Error('expected a DeserializationError');
    } catch (error) {
      expect(error).toBeInstanceOf(DeserializationError);
      const e = error as DeserializationError;
      expect([e.topic, e.partition, e.offset]).toEqual(['orders', 4, '42']);
      expect(e.message).toContain('orders[4]@42');
      expect(e.cause).toBeInstanceOf(SyntaxError);
    }
  });
});

describe('mapRecords', () => {
  it('returns the prefix before a record that cannot be deserialized, and the error', () => {
    const result = mapRecords(
      't',
      0,
      [record('0', '1'), record('1', '2'), record('2', '{'), record('3', '4')],
      mapping,
    );
    expect(result.messages.map((m) => m.value)).toEqual([1, 2]);
    expect(result.error?.offset).toBe('2');
  });

  it('maps everything when all records decode', () => {
    const result = mapRecords('t', 0, [record('0', '1'), record('1', '2')], mapping);
    expect(result.messages).toHaveLength(2);
    expect(result.error).toBeUndefined();
  });
});
