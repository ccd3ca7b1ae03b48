import { Injectable } from '@nestjs/common';
import {
  jsonDeserializer,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';

jest.setTimeout(90_000);

describe('reliable consumer: deserialization (real kafkajs over TCP)', () => {
  const bed = useConsumerTestbed();

  const consumerFor = (
    topic: string,
    groupId: string,
    seen: ReliableMessage[],
    deadLetterTopic?: string | false,
  ) => {
    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, deadLetterTopic })
      async handle(messages: ReliableMessage[]): Promise<void> {
        seen.push(...messages);
      }
    }
    return Consumer;
  };

  // With dead-lettering off (retry-dlt.e2e-spec.ts covers the default, which dead-letters it).
  it('never drops a record it cannot deserialize: the records before it commit, the partition stops there', async () => {
    const topic = uniqueName('orders-poison');
    const groupId = uniqueName('poison');
    await createTopic(bed.tools, topic);
    const seen: ReliableMessage[] = [];
    const poisonErrors: unknown[] = [];
    // The default JSON deserializer, watched: every failed attempt at the poison record is recorded.
    const watchedJson = testOptions(bed.target.brokers, {
      deserializer: (value, source) => {
        try {
          return jsonDeserializer(value, source);
        } catch (error) {
          poisonErrors.push(source.offset);
          throw error;
        }
      },
    });
    const app = await startApp(ReliableKafkaModule.forRoot(watchedJson), {
      providers: [consumerFor(topic, groupId, seen, false)],
    });
    bed.apps.push(app);
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [{ value: '{"n":1}' }, { value: '{"n":' }, { value: '{"n":3}' }],
    });
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '1', {
      message: 'prefix committed',
    });
    // Retried again and again (in place, then redelivered by kafkajs): never skipped, never committed past.
    await waitFor(() => poisonErrors.length >= 4, { message: 'poison record retried' });
    expect(poisonErrors.every((offset) => offset === '1')).toBe(true);
    expect(await committedOffset(bed.tools, groupId, topic)).toBe('1');
    expect(seen.map((m) => m.value)).toEqual([{ n: 1 }]);
  });

  it('uses a pluggable deserializer and fills every ReliableMessage field', async () => {
    const topic = uniqueName('orders-csv');
    const groupId = uniqueName('csv');
    await createTopic(bed.tools, topic);
    const seen: ReliableMessage[] = [];
    const options = testOptions(bed.target.brokers, {
      deserializer: (value, source) => ({ fields: value?.toString('utf8').split(','), from: source.topic }),
    });
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(options), {
        providers: [consumerFor(topic, groupId, seen)],
      }),
    );
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: 'k-1',
          value: 'a,b',
          headers: { 'message-id': 'id-1', trace: 't-1' },
          timestamp: '1700000000000',
        },
        { key: null, value: 'c' },
      ],
    });
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '2', {
      message: 'committed',
    });
    expect(seen[0]).toEqual({
      id: 'id-1',
      idBytes: Buffer.from('id-1'),
      topic,
      partition: 0,
      offset: '0',
      key: 'k-1',
      value: { fields: ['a', 'b'], from: topic },
      headers: { 'message-id': 'id-1', trace: 't-1' },
      timestamp: '1700000000000',
    });
    expect(seen[1]).toMatchObject({
      id: `${topic}/0/1`,
      idBytes: Buffer.from(`${topic}/0/1`),
      key: null,
      value: { fields: ['c'], from: topic },
      headers: {},
    });
  });
});
