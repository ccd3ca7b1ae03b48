import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { classifyKafkajsProduceError } from './classify-kafkajs-produce-error.util';

const protocol = (type: string, retriable: boolean): Error =>
  Object.assign(new KafkaJSProtocolError(type), { type, retriable });

describe('classifyKafkajsProduceError', () => {
  it('reports refusals before the append as not written', () => {
    expect(classifyKafkajsProduceError(protocol('TOPIC_AUTHORIZATION_FAILED', false))).toMatchObject({
      written: 'no',
      retriable: false,
      code: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  it('marks size refusals for splitting', () => {
    expect(classifyKafkajsProduceError(protocol('MESSAGE_TOO_LARGE', false))).toMatchObject({
      written: 'no',
      tooLarge: true,
    });
  });

  it('reports answers after which the records may be in the log as unknown', () => {
    for (const type of ['REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'NOT_LEADER_FOR_PARTITION'])
      expect(classifyKafkajsProduceError(protocol(type, true)).written).toBe('unknown');
  });

  it('unwraps the error kafkajs wraps after its own retry, keeping the retriable verdict', () => {
    const cause = protocol('TOPIC_AUTHORIZATION_FAILED', false);
    const wrapped = Object.assign(new KafkaJSNonRetriableError(cause), { cause });
    expect(classifyKafkajsProduceError(wrapped)).toMatchObject({ written: 'no', retriable: false });
    const last = protocol('REQUEST_TIMED_OUT', true);
    // kafkajs' typings omit the retry details its constructor needs
    const Exceeded = KafkaJSNumberOfRetriesExceeded as unknown as new (e: Error, details: object) => Error;
    const retried = new Exceeded(last, { retryCount: 1, retryTime: 10, cause: last });
    expect(classifyKafkajsProduceError(retried)).toMatchObject({ written: 'unknown', retriable: true });
  });

  it('asks for a new idempotent session when the broker refuses the sequence numbers', () => {
    expect(classifyKafkajsProduceError(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER', false))).toMatchObject({
      written: 'no',
      retriable: true,
      sequenceRejected: true,
    });
  });

  it('treats connection loss as unknown and retriable, anything else unknown and final', () => {
    expect(
      classifyKafkajsProduceError(Object.assign(new Error('x'), { name: 'KafkaJSConnectionClosedError' })),
    ).toMatchObject({
      written: 'unknown',
      retriable: true,
    });
    expect(classifyKafkajsProduceError(new TypeError('bug'))).toMatchObject({
      written: 'unknown',
      retriable: false,
    });
    expect(
      classifyKafkajsProduceError(Object.assign(new Error('x'), { name: 'KafkaJSMetadataNotLoaded' })),
    ).toMatchObject({
      written: 'no',
      retriable: true,
    });
  });
});
