import { prepareMessage } from './serialize-message.util';

describe('prepareMessage', () => {
  it('stamps a UUID id header when absent and JSON-encodes objects', () => {
    const { message, messageId } = prepareMessage({ key: 'k', value: { n: 1 } }, 'message-id');
    expect(messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(message).toEqual({ key: 'k', value: '{"n":1}', headers: { 'message-id': messageId } });
  });

  it('keeps an id the caller gave (string or Buffer) and the other headers', () => {
    const a = prepareMessage({ value: 'x', headers: { 'message-id': 'given', trace: 't' } }, 'message-id');
    expect(a.messageId).toBe('given');
    expect(a.message.headers).toEqual({ 'message-id': 'given', trace: 't' });
    expect(prepareMessage({ value: 'x', headers: { id: Buffer.from('buf') } }, 'id').messageId).toBe('buf');
  });

  it('passes Buffer and string through, null as a tombstone; rejects what JSON cannot encode', () => {
    const buffer = Buffer.from([1, 2]);
    expect(prepareMessage({ value: buffer }, 'id').message.value).toBe(buffer);
    expect(prepareMessage({ value: 'plain' }, 'id').message.value).toBe('plain');
    expect(prepareMessage({ value: null }, 'id').message.value).toBeNull();
    expect(() => prepareMessage({ value: undefined }, 'id')).toThrow(TypeError);
  });

  it("does not mutate the caller's headers and builds a fresh object per call", () => {
    const headers = { trace: 't' };
    const input = { value: 1, headers, partition: 3 };
    const first = prepareMessage(input, 'message-id');
    const second = prepareMessage(input, 'message-id');
    expect(headers).toEqual({ trace: 't' });
    expect(first.message).not.toBe(second.message);
    expect(first.messageId).not.toBe(second.messageId);
    expect(first.message.partition).toBe(3);
  });
});
