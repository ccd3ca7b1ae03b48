import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isRetriableKafkaError } from './kafka-error.util';

describe('isRetriableKafkaError', () => {
  const notEnoughReplicas = new KafkaJSProtocolError(
    Object.assign(new Error('not enough replicas'), { retriable: true }) as unknown as string,
  );

  it('follows kafkajs retriable flags, looking through "number of retries exceeded"', () => {
    expect(isRetriableKafkaError(notEnoughReplicas)).toBe(true);
    expect(
      isRetriableKafkaError(
        new KafkaJSNumberOfRetriesExceeded(notEnoughReplicas, { retryCount: 2, retryTime: 10 }),
      ),
    ).toBe(true);
    expect(isRetriableKafkaError(new KafkaJSNonRetriableError('bad topic'))).toBe(false);
  });

  it('treats foreign errors and non-errors as not retriable', () => {
    expect(isRetriableKafkaError(new TypeError('bug'))).toBe(false);
    expect(isRetriableKafkaError('boom')).toBe(false);
    expect(isRetriableKafkaError(null)).toBe(false);
  });
});
