import { InvalidMessageError } from '../errors/invalid-message.error';
import { MessageIdRegistry } from './message-id-registry';
import { prepareRecords } from './prepare-records.util';
import type { ProducerMessage } from './producer-message.interface';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const prepare = (messages: ProducerMessage[], registry = new MessageIdRegistry()) =>
  prepareRecords('t', messages, 'message-id', registry);

describe('prepareRecords', () => {
  it('stamps a UUID id header when absent and JSON-encodes objects, without touching the caller object', () => {
    const message = { key: 'k', value: { n: 1 }, headers: { trace: 't' } };
    const [r] = prepare([message]);
    expect(r.messageId).toMatch(UUID);
    expect(r.record).toEqual({
      key: 'k',
      value: '{"n":1}',
      headers: { trace: 't', 'message-id': r.messageId },
    });
    expect(message.headers).toEqual({ trace: 't' });
  });

  it('keeps an id the caller gave; a Buffer id that is not UTF-8 shows as hex, never as a lossy text', () => {
    expect(prepare([{ value: 'x', headers: { 'message-id': 'given' } }])[0].messageId).toBe('given');
    const [a, b] = prepare([
      { value: 'x', headers: { 'message-id': Buffer.from([0x9f, 1, 2]) } },
      { value: 'x', headers: { 'message-id': Buffer.from([0xa0, 1, 2]) } },
    ]);
    expect(a.messageId).toBe('hex:9f0102');
    expect(b.messageId).toBe('hex:a00102');
  });

  it('gives the same message object the same id when it is sent again with the same key and value', () => {
    const registry = new MessageIdRegistry();
    const message: ProducerMessage = { key: 'k', value: { n: 1 } };
    const first = prepare([message], registry)[0].messageId;
    expect(prepare([message], registry)[0].messageId).toBe(first);
    expect(prepare([{ key: 'k', value: { n: 1 } }], registry)[0].messageId).not.toBe(first); // another object
  });

  it('gives a reused object with new content a new id (dedup must not drop a distinct message)', () => {
    const registry = new MessageIdRegistry();
    const message: ProducerMessage = { key: 'k', value: { n: 1 } };
    const first = prepare([message], registry)[0].messageId;
    message.value = { n: 2 };
    expect(prepare([message], registry)[0].messageId).not.toBe(first);
  });

  it('estimates each record size from key, value and headers', () => {
    const [r] = prepare([{ key: 'kk', value: 'vvv', headers: { h: 'x' } }]);
    expect(r.bytes).toBeGreaterThanOrEqual(2 + 3 + 2 + 'message-id'.length + 36);
  });

  it.each<[string, unknown]>([
    ['a value JSON cannot encode', { value: undefined }],
    [
      'a circular value',
      (() => {
        const v: Record<string, unknown> = {};
        v.self = v;
        return { value: v };
      })(),
    ],
    ['a numeric key', { key: 42, value: 'x' }],
    ['an object header', { value: 'x', headers: { h: { a: 1 } } }],
    ['a negative partition', { value: 'x', partition: -1 }],
    ['a fractional partition', { value: 'x', partition: 1.5 }],
    ['a numeric timestamp', { value: 'x', timestamp: 1700000000000 }],
    ['null instead of a message', null],
  ])('refuses %s with an InvalidMessageError naming the message', (_, message) => {
    const send = () => prepare([message as ProducerMessage]);
    expect(send).toThrow(InvalidMessageError);
    expect(send).toThrow(/message 0 to 't'/);
  });
});
