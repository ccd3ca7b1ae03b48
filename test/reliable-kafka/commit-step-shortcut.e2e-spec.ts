import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { UseInterceptors } from '@nestjs/common';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { ReliableBatchHandler, ReliableKafkaModule, type ReliableMessage } from 'nestjs-reliable-kafka';
import { uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  produceJson,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';

/**
 * The runtime skips Nest's interceptor chain when the commit step is a handler's only interceptor (see
 * CommitStepInterceptorsConsumer): it shadows Nest's internal `interceptorsConsumer` of the context creator. A Nest
 * upgrade that renames that property would silently drop the shortcut (everything would still work, slower);
 * this test fails then, so the shortcut is either fixed or removed on purpose.
 */
describe('commit-step shortcut (the installed Nest version still takes it)', () => {
  const bed = useConsumerTestbed();

  it("skips Nest's interceptor chain for a handler whose only interceptor is the commit step, runs it otherwise", async () => {
    const plainTopic = uniqueName('shortcut-plain');
    const decoratedTopic = uniqueName('shortcut-decorated');
    const plainGroup = uniqueName('shortcut-plain');
    const decoratedGroup = uniqueName('shortcut-decorated');
    await createTopic(bed.tools, plainTopic);
    await createTopic(bed.tools, decoratedTopic);
    const chain = jest.spyOn(InterceptorsConsumer.prototype, 'intercept');
    const seen: string[] = [];

    @Injectable()
    class Outer implements NestInterceptor {
      intercept(_: ExecutionContext, next: CallHandler) {
        return next.handle();
      }
    }

    @Injectable()
    class Handlers {
      @ReliableBatchHandler({ topic: plainTopic, groupId: plainGroup, fromBeginning: true })
      async plain(messages: ReliableMessage[]): Promise<void> {
        seen.push(...messages.map(() => 'plain'));
      }

      @UseInterceptors(Outer)
      @ReliableBatchHandler({ topic: decoratedTopic, groupId: decoratedGroup, fromBeginning: true })
      async decorated(messages: ReliableMessage[]): Promise<void> {
        seen.push(...messages.map(() => 'decorated'));
      }
    }

    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), {
        providers: [Handlers, Outer],
      }),
    );
    await produceJson(bed.tools, plainTopic, [{ n: 1 }]);
    await waitFor(async () => (await committedOffset(bed.tools, plainGroup, plainTopic)) === '1', {
      message: 'plain handler committed',
    });
    expect(seen).toEqual(['plain']);
    expect(chain).not.toHaveBeenCalled(); // the shortcut ran the commit step

    await produceJson(bed.tools, decoratedTopic, [{ n: 2 }]);
    await waitFor(async () => (await committedOffset(bed.tools, decoratedGroup, decoratedTopic)) === '1', {
      message: 'decorated handler committed',
    });
    expect(seen).toEqual(['plain', 'decorated']);
    expect(chain).toHaveBeenCalled(); // another interceptor: Nest's full chain
    chain.mockRestore();
  });
});
