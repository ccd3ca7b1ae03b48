import fc from 'fast-check';
import type { KafkaMessage } from 'kafkajs';
import { MessageIdError } from '../../errors/message-id.error';
import { recordIdOf, recordIdOrPosition, type IdRule } from './record-id';

const rule = (messageIdExtractor?: IdRule['messageIdExtractor']): IdRule => ({
  messageIdHeader: 'message-id',
  messageIdExtractor,
});
const rec = (headers: KafkaMessage['headers'] = {}, value: Buffer | null = null): KafkaMessage => ({
  offset: '7',
  key: null,
  value,
  headers,
  timestamp: '0',
  attributes: 0,
});

describe('recordIdOf (the one id rule)', () => {
  it("takes the header's raw bytes, the last value when repeated", () => {
    const id = recordIdOf('t', 1, rec({ 'message-id': [Buffer.from('a'), Buffer.from('b')] }), rule());
    expect(id).toEqual({ bytes: Buffer.from('b'), text: 'b' });
  });

  it('keeps distinct non-UTF-8 ids distinct (a lossy decode turned them all into U+FFFD)', () => {
    const ids = ['9f0102', 'a00102', 'fe0102'].map(
      (hex) => recordIdOf('t', 0, rec({ 'message-id': Buffer.from(hex, 'hex') }), rule()).text,
    );
    expect(ids).toEqual(['hex:9f0102', 'hex:a00102', 'hex:fe0102']);
  });

  it("falls back to the extractor (string or Buffer), then to the record's position", () => {
    expect(
      recordIdOf(
        't',
        0,
        rec(),
        rule(() => 'x'),
      ).text,
    ).toBe('x');
    expect(
      recordIdOf(
        't',
        0,
        rec(),
        rule(() => Buffer.from([0xff])),
      ).bytes,
    ).toEqual(Buffer.from([0xff]));
    expect(
      recordIdOf(
        't',
        3,
        rec(),
        rule(() => undefined),
      ).text,
    ).toBe('t/3/7');
    expect(recordIdOf('t', 3, rec({ 'message-id': '' }), rule()).text).toBe('t/3/7');
  });

  it.each<[string, () => unknown]>([
    [
      'throws',
      () => {
        throw new Error('bad json');
      },
    ],
    ['returns a number', () => 42],
    ['returns an object', () => ({ id: 1 })],
    ['returns null', () => null],
    ['returns an empty string', () => ''],
  ])('fails the record with a MessageIdError when the extractor %s', (_, extractor) => {
    const read = () => recordIdOf('t', 0, rec(), rule(extractor as IdRule['messageIdExtractor']));
    expect(read).toThrow(MessageIdError);
    expect(read).toThrow(/t\[0\]@7/);
  });

  it('names an unreadable record by its position where an id is needed anyway (logs, its dead letter)', () => {
    const id = recordIdOrPosition(
      't',
      0,
      rec(),
      rule(() => 42 as unknown as string),
    );
    expect(id.text).toBe('t/0/7');
  });

  it('gives every distinct byte string its own bytes and a text that shows them (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        (a, b) => {
          const idA = recordIdOf('t', 0, rec({ 'message-id': Buffer.from(a) }), rule());
          const idB = recordIdOf('t', 0, rec({ 'message-id': Buffer.from(b) }), rule());
          expect(idA.bytes.equals(Buffer.from(a))).toBe(true);
          if (
            !Buffer.from(a).equals(Buffer.from(b)) &&
            !idA.text.startsWith('hex:') === !idB.text.startsWith('hex:')
          )
            expect(idA.text).not.toBe(idB.text);
        },
      ),
    );
  });
});
