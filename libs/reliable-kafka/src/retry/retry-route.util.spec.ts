import type { KafkaMessage } from 'kafkajs';
import { DeserializationError } from '../errors/deserialization.error';
import { DEAD_LETTER_HEADERS as H } from './dead-letter-headers.util';
import { headerText, RETRY_HEADERS as R } from './retry-headers.util';
import { routeFailure, stageOf, type FailedRecord, type RouteOptions } from './retry-route.util';

const options = (extra: Partial<RouteOptions> = {}): RouteOptions => ({
  topics: ['orders', /other/],
  groupId: 'billing',
  deadLetterTopic: undefined,
  retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1, nonRetryable: [DeserializationError] },
  retryTopicDelaysMs: [100, 500],
  ...extra,
});

const record = (offset: string, headers: KafkaMessage['headers'] = {}): KafkaMessage =>
  ({
    offset,
    key: Buffer.from('k'),
    value: Buffer.from('v'),
    headers,
    timestamp: '1700',
    attributes: 0,
  }) as KafkaMessage;

const failed = (topic: string, rec: KafkaMessage, error: unknown = new Error('boom')): FailedRecord => ({
  topic,
  partition: 2,
  record: rec,
  error,
  attempts: 1,
  messageId: Buffer.from('id-1'),
  messageIdHeader: 'message-id',
});

const text = (headers: KafkaMessage['headers'], name: string) => headerText(headers, name);

describe('retry route', () => {
  it('places a topic in the chain: the main topic is stage 0, unknown topics too', () => {
    expect(stageOf(options(), 'orders')).toEqual({ originTopic: 'orders', stage: 0 });
    expect(stageOf(options(), 'orders.retry.100')).toEqual({ originTopic: 'orders', stage: 1 });
    expect(stageOf(options(), 'orders.retry.500')).toEqual({ originTopic: 'orders', stage: 2 });
    expect(stageOf(options(), 'orders.retry.999')).toEqual({ originTopic: 'orders.retry.999', stage: 0 });
  });

  it('forwards a main-topic failure to the first stage with origin, attempts, stage and due time', () => {
    const route = routeFailure(
      options(),
      failed('orders', record('7', { 'message-id': 'm-7', trace: 'x' })),
      1000,
    );
    expect(route).toMatchObject({ kind: 'retry', topic: 'orders.retry.100', stage: 1, attempts: 1 });
    if (route.kind !== 'retry') throw new Error('expected a retry route');
    const h = route.headers;
    expect([text(h, 'message-id'), text(h, 'trace')]).toEqual(['m-7', 'x']);
    expect([text(h, H.topic), text(h, H.partition), text(h, H.offset), text(h, H.timestamp)]).toEqual([
      'orders',
      '2',
      '7',
      '1700',
    ]);
    expect([text(h, H.attempts), text(h, R.stage), text(h, R.dueAt), text(h, H.errorMessage)]).toEqual([
      '1',
      '1',
      '1100',
      'boom',
    ]);
  });

  it('stamps the dedup id on a forwarded copy that has no id header, so both copies share it', () => {
    const route = routeFailure(options(), failed('orders', record('7')), 0);
    expect(route.kind === 'retry' && text(route.headers, 'message-id')).toBe('id-1');
  });

  it('carries the origin from stage to stage, and sends the last stage to the original dead-letter topic', () => {
    const first = routeFailure(options(), failed('orders', record('7', { 'message-id': 'm-7' })), 0);
    if (first.kind !== 'retry') throw new Error('expected a retry route');
    const stage1 = record('0', first.headers);
    const second = routeFailure(options(), failed('orders.retry.100', stage1), 5000);
    expect(second).toMatchObject({ kind: 'retry', topic: 'orders.retry.500', stage: 2, attempts: 2 });
    if (second.kind !== 'retry') throw new Error('expected a retry route');
    expect([text(second.headers, H.offset), text(second.headers, R.dueAt)]).toEqual(['7', '5500']);

    const last = routeFailure(options(), failed('orders.retry.500', record('3', second.headers)), 9000);
    expect(last).toMatchObject({ kind: 'dead-letter', topic: 'orders.dlt', attempts: 3 });
    expect(last.origin).toMatchObject({ topic: 'orders', partition: 2, attempts: 3 });
    expect([last.origin.record.offset, last.origin.record.timestamp]).toEqual(['7', '1700']);
  });

  it("sends a non-retryable error straight to the dead-letter topic, the handler's own when it has one", () => {
    const poison = new DeserializationError('orders', 2, '7', new SyntaxError('bad'));
    const route = routeFailure(
      options({ deadLetterTopic: 'rejects' }),
      failed('orders', record('7'), poison),
      0,
    );
    expect(route).toMatchObject({ kind: 'dead-letter', topic: 'rejects', attempts: 1 });
  });

  it('dead-letters at once without retry topics, as before', () => {
    const route = routeFailure(
      options({ retryTopicDelaysMs: [] }),
      { ...failed('orders', record('7')), attempts: 3 },
      0,
    );
    expect(route).toMatchObject({ kind: 'dead-letter', topic: 'orders.dlt', attempts: 3 });
    expect(route.origin).toMatchObject({ topic: 'orders', partition: 2 });
  });
});
