import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { ReliableBatchHandler, ReliableKafkaModule, type ReliableMessage } from 'nestjs-reliable-kafka';
import { SHORT_SESSION_TIMEOUTS, startKafkaTarget, uniqueName, waitFor, type KafkaTarget } from '../support';
import {
  committedOffset,
  createTopic,
  kafkaTools,
  produceJson,
  startApp,
  testOptions,
  type KafkaTools,
} from './consumer-test-harness';

jest.setTimeout(90_000);

describe('reliable consumer: heartbeats during a long handler (real kafkajs over TCP)', () => {
  let target: KafkaTarget;
  let tools: KafkaTools;
  let app: TestingModule | undefined;

  beforeAll(async () => {
    // A 1.5 s session timeout is below Kafka's default group.min.session.timeout.ms: lowered as on a test cluster.
    target = await startKafkaTarget({ settings: SHORT_SESSION_TIMEOUTS });
    tools = await kafkaTools(target.brokers);
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await tools?.close();
    await target?.stop();
  });

  it('keeps the group membership through a handler that runs for several session timeouts, then commits', async () => {
    const topic = uniqueName('orders-slow');
    const groupId = uniqueName('slow');
    await createTopic(tools, topic);
    const calls: string[][] = [];

    @Injectable()
    class SlowConsumer {
      // Session timeout 1.5 s; the handler takes 5 s. Without heartbeats during the handler the coordinator
      // evicts the member, the commit is refused, and the batch is handled a second time.
      @ReliableBatchHandler({
        topic,
        groupId,
        fromBeginning: true,
        sessionTimeout: 1_500,
        heartbeatInterval: 300,
      })
      async handle(messages: ReliableMessage[]): Promise<void> {
        calls.push(messages.map((m) => m.offset));
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
    }
    app = await startApp(ReliableKafkaModule.forRoot(testOptions(target.brokers)), {
      providers: [SlowConsumer],
    });
    await produceJson(tools, topic, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await waitFor(async () => (await committedOffset(tools, groupId, topic)) === '3', {
      timeoutMs: 30_000,
      message: 'slow batch committed',
    });
    expect(calls).toEqual([['0', '1', '2']]);
  });
});
