import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  BatchFailedError,
  KafkaContext,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  produceJson,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';

jest.setTimeout(90_000);

type Order = { n: number };
type Behaviour = (messages: ReliableMessage<Order>[], context: KafkaContext) => Promise<void>;

/** A provider with one reliable handler on `topic` as `groupId`, delegating to `behaviour`. */
function consumerFor(topic: string, groupId: string, behaviour: Behaviour) {
  @Injectable()
  class OrdersConsumer {
    // Dead-lettering off: these tests are about work that keeps failing (retry-dlt*.e2e-spec.ts covers the DLT).
    @ReliableBatchHandler({ topic, groupId, fromBeginning: true, deadLetterTopic: false })
    handle(messages: ReliableMessage<Order>[], context: KafkaContext): Promise<void> {
      return behaviour(messages, context);
    }
  }
  return OrdersConsumer;
}

describe('reliable consumer: commit after success (real kafkajs over TCP)', () => {
  const bed = useConsumerTestbed();

  const start = async (topic: string, groupId: string, behaviour: Behaviour): Promise<TestingModule> => {
    const app = await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), {
      providers: [consumerFor(topic, groupId, behaviour)],
    });
    bed.apps.push(app);
    return app;
  };
  const collectInto =
    (values: number[]): Behaviour =>
    async (messages) =>
      void values.push(...messages.map((m) => m.value.n));

  it('does not commit a failing handler; after a restart the same messages come again, then success commits and is not redelivered', async () => {
    const topic = uniqueName('orders-fail');
    const groupId = uniqueName('billing');
    await createTopic(bed.tools, topic);
    await produceJson(bed.tools, topic, [{ n: 1 }, { n: 2 }, { n: 3 }]);

    const failedCalls: number[][] = [];
    const failing = await start(topic, groupId, async (messages) => {
      failedCalls.push(messages.map((m) => m.value.n));
      throw new Error('billing database unavailable');
    });
    await waitFor(() => failedCalls.length >= 3, { message: 'failing handler retried' });
    expect(await committedOffset(bed.tools, groupId, topic)).toBe('-1');
    await failing.close();
    expect(await committedOffset(bed.tools, groupId, topic)).toBe('-1');
    expect(failedCalls.flat()).toEqual(expect.arrayContaining([1, 2, 3]));

    const afterRestart: number[] = [];
    const succeeding = await start(topic, groupId, collectInto(afterRestart));
    await waitFor(() => afterRestart.length >= 3, { message: 'redelivery after restart' });
    expect(afterRestart).toEqual([1, 2, 3]);
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '3', {
      message: 'commit after success',
    });
    await succeeding.close();

    const third: number[] = [];
    await start(topic, groupId, collectInto(third));
    await produceJson(bed.tools, topic, [{ n: 4 }]);
    await waitFor(() => third.length >= 1, { message: 'new message after second restart' });
    expect(third).toEqual([4]);
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '4', {
      message: 'commit of the new message',
    });
  });

  it('cannot fall into the `finally { ack() }` trap: work that failed is never committed', async () => {
    const topic = uniqueName('orders-trap');
    const groupId = uniqueName('trap');
    await createTopic(bed.tools, topic);
    await produceJson(bed.tools, topic, [{ n: 1 }, { n: 2 }, { n: 3 }]);

    const written: number[] = [];
    let finallyRuns = 0;
    let contextSeen: KafkaContext | undefined;
    const app = await start(topic, groupId, async (messages, context) => {
      contextSeen = context;
      try {
        for (const m of messages) {
          if (m.value.n === 2) throw new Error('write of order 2 failed');
          written.push(m.value.n);
        }
      } finally {
        // The seeds' bug acknowledged here. Our context has nothing to acknowledge with: only a heartbeat.
        await context.heartbeat();
        finallyRuns++;
      }
    });
    await waitFor(() => finallyRuns >= 3, { message: 'handler with finally ran and failed repeatedly' });
    expect(await committedOffset(bed.tools, groupId, topic)).toBe('-1');
    for (const ackLike of ['ack', 'commit', 'commitOffsets', 'resolveOffset', 'commitOffsetsIfNecessary']) {
      expect(ackLike in (contextSeen as object)).toBe(false);
    }
    await app.close();
    expect(await committedOffset(bed.tools, groupId, topic)).toBe('-1');

    const again: number[] = [];
    await start(topic, groupId, collectInto(again));
    await waitFor(() => again.length >= 3, { message: 'uncommitted batch redelivered' });
    expect(again).toEqual([1, 2, 3]);
  });

  it('BatchFailedError(index) commits the prefix before index and redelivers only the rest', async () => {
    const topic = uniqueName('orders-partial');
    const groupId = uniqueName('partial');
    await createTopic(bed.tools, topic);
    await produceJson(
      bed.tools,
      topic,
      [0, 1, 2, 3, 4].map((n) => ({ n })),
    );

    const deliveries: string[][] = [];
    const committedAtRedelivery: string[] = [];
    let failedOnce = false;
    await start(topic, groupId, async (messages) => {
      const offsets = messages.map((m) => m.offset);
      deliveries.push(offsets);
      const index = offsets.indexOf('2');
      if (index >= 0 && !failedOnce) {
        failedOnce = true;
        throw new BatchFailedError(index, new Error('order 2 rejected'));
      }
      if (failedOnce && index >= 0)
        committedAtRedelivery.push(await committedOffset(bed.tools, groupId, topic));
    });
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '5', {
      message: 'everything committed',
    });

    const count = (offset: string) => deliveries.flat().filter((o) => o === offset).length;
    expect([count('0'), count('1')]).toEqual([1, 1]);
    expect(count('2')).toBe(2);
    expect(committedAtRedelivery).toEqual(['2']);
    // The redelivery starts exactly at the failed message.
    expect(deliveries.find((d, i) => i > 0 && d.includes('2'))?.[0]).toBe('2');
  });

  it('graceful shutdown lets the in-flight handler finish and commits its work before disconnecting', async () => {
    const topic = uniqueName('orders-shutdown');
    const groupId = uniqueName('shutdown');
    await createTopic(bed.tools, topic);

    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    let finished = false;
    const app = await start(topic, groupId, async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      finished = true;
    });
    await produceJson(bed.tools, topic, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await inFlight;
    await app.close();
    expect(finished).toBe(true);
    expect(await committedOffset(bed.tools, groupId, topic)).toBe('3');

    const afterRestart: number[] = [];
    await start(topic, groupId, collectInto(afterRestart));
    await produceJson(bed.tools, topic, [{ n: 4 }]);
    await waitFor(() => afterRestart.length >= 1, { message: 'new message after restart' });
    expect(afterRestart).toEqual([4]);
  });
});
