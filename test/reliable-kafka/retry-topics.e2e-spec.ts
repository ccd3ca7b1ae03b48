import { Injectable } from '@nestjs/common';
import {
  BatchFailedError,
  InvalidConfigError,
  Messages,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { requireEnv, uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  produceJson,
  startApp,
  testOptions,
  useConsumerTestbed,
  type ConsumerTestbed,
} from './consumer-test-harness';
import { header, readTopic } from './retry-dlt-harness';

jest.setTimeout(90_000);

const REDIS_URL = requireEnv('REDIS_URL');

class DeclinedError extends Error {
  override name = 'DeclinedError';
}

const value = (m: ReliableMessage) => (m.value as { n: number }).n;

/** A main topic and its stage and dead-letter topics, created up front (as provisioning would). */
async function createChain(bed: ConsumerTestbed, topic: string, delaysMs: number[]): Promise<void> {
  await createTopic(bed.tools, topic);
  for (const d of delaysMs) await createTopic(bed.tools, `${topic}.retry.${d}`);
  await createTopic(bed.tools, `${topic}.dlt`);
}

describe('reliable consumer: non-blocking retry topics (real kafkajs over TCP)', () => {
  const bed = useConsumerTestbed();

  it('moves a message that always fails main -> retry.<d1> -> retry.<d2> -> dead-letter topic, losing nothing', async () => {
    const topic = uniqueName('orders-rt');
    const groupId = uniqueName('rt');
    const delaysMs = [200, 400];
    await createChain(bed, topic, delaysMs);
    const handled: { n: number; topic: string }[] = [];

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, retryTopics: { delaysMs } })
      async handle(@Messages() messages: ReliableMessage[]): Promise<void> {
        for (const m of messages) {
          handled.push({ n: value(m), topic: m.topic });
          if (value(m) === 2) throw new BatchFailedError(m, new DeclinedError('card declined'));
        }
      }
    }
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2, 3, 4].map((n) => ({
        key: `k-${n}`,
        value: JSON.stringify({ n }),
        headers: { 'message-id': `id-${n}` },
      })),
    });
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [Consumer] }),
    );

    await waitFor(async () => (await readTopic(bed.target.brokers, `${topic}.dlt`)).length > 0, {
      message: () => `dead-lettered (handled ${JSON.stringify(handled)})`,
    });
    const stageGroup = `${groupId}.retry`;
    await waitFor(
      async () =>
        (await committedOffset(bed.tools, groupId, topic)) === '5' &&
        (await committedOffset(bed.tools, stageGroup, `${topic}.retry.400`)) === '1',
      { message: 'main topic and last stage committed' },
    );
    // One attempt per stage, each on its own topic; every other message exactly once.
    expect(handled.filter((h) => h.n === 2).map((h) => h.topic)).toEqual([
      topic,
      `${topic}.retry.200`,
      `${topic}.retry.400`,
    ]);
    expect(handled.filter((h) => h.n !== 2).map((h) => h.n)).toEqual([0, 1, 3, 4]);
    expect(await committedOffset(bed.tools, stageGroup, `${topic}.retry.200`)).toBe('1');

    const [source] = (await readTopic(bed.target.brokers, topic)).filter((m) => m.offset === '2');
    const stage1 = await readTopic(bed.target.brokers, `${topic}.retry.200`);
    const stage2 = await readTopic(bed.target.brokers, `${topic}.retry.400`);
    expect(
      [...stage1, ...stage2].map((s) => [
        header(s, 'x-retry-stage'),
        header(s, 'x-attempts'),
        header(s, 'x-original-offset'),
        header(s, 'message-id'),
      ]),
    ).toEqual([
      ['1', '1', '2', 'id-2'],
      ['2', '2', '2', 'id-2'],
    ]);
    expect(Number(header(stage2[0], 'x-retry-due-at'))).toBeGreaterThan(
      Number(header(stage1[0], 'x-retry-due-at')),
    );

    const letters = await readTopic(bed.target.brokers, `${topic}.dlt`);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect([letter.key?.toString(), letter.value?.toString()]).toEqual(['k-2', JSON.stringify({ n: 2 })]);
    expect({
      id: header(letter, 'message-id'),
      topic: header(letter, 'x-original-topic'),
      partition: header(letter, 'x-original-partition'),
      offset: header(letter, 'x-original-offset'),
      timestamp: header(letter, 'x-original-timestamp'),
      group: header(letter, 'x-original-consumer-group'),
      errorClass: header(letter, 'x-error-class'),
      errorMessage: header(letter, 'x-error-message'),
      attempts: header(letter, 'x-attempts'),
    }).toEqual({
      id: 'id-2',
      topic,
      partition: '0',
      offset: '2',
      timestamp: source.timestamp,
      group: groupId,
      errorClass: 'DeclinedError',
      errorMessage: 'card declined',
      attempts: '3',
    });
  });

  it('keeps handling later messages of the same partition while a retried one waits, then handles it exactly once', async () => {
    const topic = uniqueName('orders-rt-wait');
    const groupId = uniqueName('rt-wait');
    const delaysMs = [1500];
    await createChain(bed, topic, delaysMs);
    const order: number[] = [];
    const effects: { n: number; topic: string }[] = [];
    let failedOnce = false;

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, retryTopics: { delaysMs } })
      async handle(@Messages() messages: ReliableMessage[]): Promise<void> {
        for (const m of messages) {
          order.push(value(m));
          if (value(m) === 0 && !failedOnce) {
            failedOnce = true;
            throw new BatchFailedError(m, new DeclinedError('try later'));
          }
          effects.push({ n: value(m), topic: m.topic });
        }
      }
    }
    await produceJson(bed.tools, topic, [{ n: 0 }, { n: 1 }, { n: 2 }]);
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [Consumer] }),
    );
    // 1 and 2 handled: 0 was forwarded to its stage (acked, then committed past). Later messages of the same
    // partition arrive now and must not wait for it.
    await waitFor(() => effects.some((e) => e.n === 2), { message: 'main topic went on past the failure' });
    await produceJson(bed.tools, topic, [{ n: 3 }, { n: 4 }, { n: 5 }]);
    await waitFor(
      async () =>
        (await committedOffset(bed.tools, `${groupId}.retry`, `${topic}.retry.1500`)) === '1' &&
        (await committedOffset(bed.tools, groupId, topic)) === '6',
      { message: () => `all handled (order ${order.join(',')})` },
    );
    expect(effects.map((e) => e.n)).toEqual([1, 2, 3, 4, 5, 0]);
    expect(effects.filter((e) => e.n === 0)).toEqual([{ n: 0, topic: `${topic}.retry.1500` }]);
    expect(order.filter((n) => n === 0)).toHaveLength(2);
    expect(await readTopic(bed.target.brokers, `${topic}.dlt`)).toEqual([]);
  });

  it('sends a non-retryable error (an undecodable record) straight to the dead-letter topic', async () => {
    const topic = uniqueName('orders-rt-poison');
    const groupId = uniqueName('rt-poison');
    const delaysMs = [100, 200];
    await createChain(bed, topic, delaysMs);
    const handled: number[] = [];

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, retryTopics: { delaysMs } })
      async handle(@Messages() messages: ReliableMessage[]): Promise<void> {
        handled.push(...messages.map(value));
      }
    }
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: ['{"n":0}', '{not json', '{"n":2}'].map((v) => ({ value: v })),
    });
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [Consumer] }),
    );
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '3', {
      message: 'committed',
    });

    expect(handled).toEqual([0, 2]);
    const letters = await readTopic(bed.target.brokers, `${topic}.dlt`);
    expect(
      letters.map((l) => [l.value?.toString(), header(l, 'x-error-class'), header(l, 'x-attempts')]),
    ).toEqual([['{not json', 'DeserializationError', '1']]);
    for (const d of delaysMs) expect(await readTopic(bed.target.brokers, `${topic}.retry.${d}`)).toEqual([]);
  });

  it('with Redis dedup, handles a retried message from its stage once, and skips a stage copy already done', async () => {
    const topic = uniqueName('orders-rt-dedup');
    const groupId = uniqueName('rt-dedup');
    const delaysMs = [300];
    await createChain(bed, topic, delaysMs);
    const seen = new Set<string>();
    const effects: { id: string; topic: string }[] = [];

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, retryTopics: { delaysMs } })
      async handle(@Messages() messages: ReliableMessage[]): Promise<void> {
        for (const m of messages) {
          // Every id fails its first attempt; "b" has a producer duplicate behind it on the main topic.
          if (!seen.has(m.id)) {
            seen.add(m.id);
            throw new BatchFailedError(m, new DeclinedError(`first attempt of ${m.id}`));
          }
          effects.push({ id: m.id, topic: m.topic });
        }
      }
    }
    const ids = ['a', 'b', 'b'];
    await produceJson(bed.tools, topic, [{ n: 0 }, { n: 1 }, { n: 1 }], (i) => ({ 'message-id': ids[i] }));
    const dedup = { store: 'redis' as const, url: REDIS_URL, keyPrefix: uniqueName('rt-dedup') };
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers, { dedup })), {
        providers: [Consumer],
      }),
    );
    await waitFor(
      async () =>
        (await committedOffset(bed.tools, groupId, topic)) === '3' &&
        (await committedOffset(bed.tools, `${groupId}.retry`, `${topic}.retry.300`)) === '2',
      { message: () => `all committed (effects ${JSON.stringify(effects)})` },
    );
    // "a": claimable in its stage (forwarding did not mark it done). "b": its duplicate on the main topic
    // succeeded first and marked it done, so its stage copy was skipped. Each effect exactly once.
    expect(effects).toHaveLength(2);
    expect(effects).toEqual(
      expect.arrayContaining([
        { id: 'b', topic },
        { id: 'a', topic: `${topic}.retry.300` },
      ]),
    );
    expect(await readTopic(bed.target.brokers, `${topic}.dlt`)).toEqual([]);
  });

  it.each([
    [{ delaysMs: [100] }, { maxAttempts: 3 }, 'retry.maxAttempts', 'the stages are the attempts'],
    [{ delaysMs: [] }, {}, 'retryTopics.delaysMs', 'delaysMs: [1000, 10000, 60000]'],
  ])(
    'fails at startup for retryTopics %j with retry %j, naming the fix',
    async (retryTopics, retry, option, fix) => {
      const topic = uniqueName('orders-rt-config');
      @Injectable()
      class Consumer {
        @ReliableBatchHandler({ topic, groupId: uniqueName('rt-config'), retryTopics, retry })
        async handle(): Promise<void> {}
      }
      const started = startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), {
        providers: [Consumer],
      });
      await expect(started).rejects.toBeInstanceOf(InvalidConfigError);
      await expect(started).rejects.toThrow(option);
      await expect(started).rejects.toThrow(fix);
    },
  );
});
