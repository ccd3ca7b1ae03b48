import { Injectable } from '@nestjs/common';
import {
  ReliableBatchHandler,
  ReliableKafkaModule,
  type KafkaContext,
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

jest.setTimeout(120_000);

type Handled = { app: string; partition: number; offset: number };

describe('reliable consumer: rebalance while handling (real kafkajs over TCP)', () => {
  const bed = useConsumerTestbed();

  it('a second member joining mid-batch loses nothing and every committed offset was handled', async () => {
    const topic = uniqueName('orders-rebalance');
    const groupId = uniqueName('rebalance');
    const perPartition = 12;
    await createTopic(bed.tools, topic, 2);
    const handled: Handled[] = [];

    const consumerFor = (app: string) => {
      @Injectable()
      class SlowConsumer {
        @ReliableBatchHandler({ topic, groupId, fromBeginning: true, maxBatchSize: 1, concurrency: 2 })
        async handle(messages: ReliableMessage[], context: KafkaContext): Promise<void> {
          await new Promise((resolve) => setTimeout(resolve, 400));
          handled.push(
            ...messages.map((m) => ({ app, partition: context.partition, offset: Number(m.offset) })),
          );
        }
      }
      return SlowConsumer;
    };
    const start = async (app: string) => {
      const ref = await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), {
        providers: [consumerFor(app)],
      });
      bed.apps.push(ref);
    };

    for (const partition of [0, 1]) {
      await bed.tools.producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: perPartition }, (_, n) => ({
          partition,
          value: JSON.stringify({ n }),
        })),
      });
    }
    await start('A');
    await waitFor(() => handled.length >= 4, { message: 'A started handling' });
    await start('B');

    for (const partition of [0, 1]) {
      await waitFor(
        async () => (await committedOffset(bed.tools, groupId, topic, partition)) === String(perPartition),
        {
          timeoutMs: 60_000,
          message: () => `partition ${partition} fully committed; handled ${JSON.stringify(handled)}`,
        },
      );
    }
    for (const partition of [0, 1]) {
      const offsets = new Set(handled.filter((h) => h.partition === partition).map((h) => h.offset));
      expect([...offsets].sort((a, b) => a - b)).toEqual(Array.from({ length: perPartition }, (_, i) => i));
    }
    // Both members took part: the rebalance really happened while batches were in flight.
    expect(new Set(handled.map((h) => h.app))).toEqual(new Set(['A', 'B']));
    // A stops at the next message boundary and commits what it finished while its generation is still valid
    // (the coordinator waits for it to rejoin), so nothing A finished is handed to B again.
    const duplicates = handled.length - new Set(handled.map((h) => `${h.partition}/${h.offset}`)).size;
    expect(duplicates).toBe(0);
  });
});
