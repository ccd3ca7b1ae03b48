import type { KafkaMessage } from 'kafkajs';
import { BatchFailedError } from '../errors/batch-failed.error';
import { DeserializationError } from '../errors/deserialization.error';
import { DEAD_LETTER_HEADERS as H, deadLetterHeaders } from './dead-letter-headers.util';

const record = (headers: Record<string, unknown> | undefined): KafkaMessage =>
  ({
    offset: '42',
    key: Buffer.from('k'),
    value: Buffer.from([0xff, 0x00]),
    headers,
    timestamp: '1700000000000',
    attributes: 0,
  }) as KafkaMessage;

describe('deadLetterHeaders', () => {
  it('keeps the original headers as they are and adds origin and error headers', () => {
    const original = Buffer.from([0xde, 0xad]);
    const cause = new DeserializationError('orders', 3, '42', new SyntaxError('Unexpected token'));
    const headers = deadLetterHeaders({
      topic: 'orders',
      partition: 3,
      record: record({ 'message-id': original, trace: ['a', 'b'] }),
      groupId: 'billing',
      error: cause,
      attempts: 1,
    });
    expect(headers['message-id']).toBe(original);
    expect(headers.trace).toEqual(['a', 'b']);
    expect(headers).toMatchObject({
      [H.topic]: 'orders',
      [H.partition]: '3',
      [H.offset]: '42',
      [H.timestamp]: '1700000000000',
      [H.consumerGroup]: 'billing',
      [H.errorClass]: 'DeserializationError',
      [H.errorMessage]: cause.message,
      [H.attempts]: '1',
    });
    expect(String(headers[H.errorStack])).toContain('DeserializationError');
  });

  it('describes a BatchFailedError by its cause, and a thrown non-Error by its text', () => {
    class PaymentDeclined extends Error {
      override name = 'PaymentDeclined';
    }
    const byCause = deadLetterHeaders({
      topic: 't',
      partition: 0,
      record: record(undefined),
      groupId: 'g',
      error: new BatchFailedError(0, new PaymentDeclined('card expired')),
      attempts: 3,
    });
    expect(byCause).toMatchObject({ [H.errorClass]: 'PaymentDeclined', [H.errorMessage]: 'card expired' });
    const byText = deadLetterHeaders({
      topic: 't',
      partition: 0,
      record: record({}),
      groupId: 'g',
      error: 'nope',
      attempts: 2,
    });
    expect(byText).toMatchObject({ [H.errorClass]: 'Error', [H.errorMessage]: 'nope', [H.attempts]: '2' });
  });
});
