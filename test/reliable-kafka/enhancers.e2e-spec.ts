import {
  ArgumentMetadata,
  CallHandler,
  CanActivate,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PipeTransform,
  Provider,
  UseFilters,
  UseGuards,
  UseInterceptors,
  type ArgumentsHost,
} from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  isKafkaContext,
  KafkaContext,
  KafkaCtx,
  Messages,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { tap } from 'rxjs';
import { startKafkaTarget, uniqueName, waitFor, type KafkaTarget } from '../support';
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

type Order = { n: number };

/** What the enhancers saw, in order. */
const trail: string[] = [];

@Injectable()
class RecordingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    trail.push(`guard kafka=${isKafkaContext(context)} type=${context.getType()}`);
    return true;
  }
}

@Injectable()
class DenyingGuard implements CanActivate {
  canActivate(): boolean {
    trail.push('deny');
    return false;
  }
}

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const messages = context.getArgByIndex<ReliableMessage[]>(0);
    trail.push(`interceptor before kafka=${isKafkaContext(context)} n=${messages.length}`);
    return next.handle().pipe(tap(() => trail.push('interceptor after')));
  }
}

/** Doubles every order number: proves the pipe's output is what the handler receives. */
@Injectable()
class DoublingPipe implements PipeTransform<ReliableMessage<Order>[], ReliableMessage<Order>[]> {
  transform(messages: ReliableMessage<Order>[], metadata: ArgumentMetadata) {
    trail.push(`pipe type=${String(metadata.type)}`);
    return messages.map((m) => ({ ...m, value: { n: m.value.n * 2 } }));
  }
}

@Catch()
class SwallowingFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost) {
    trail.push(`filter kafka=${isKafkaContext(host)} ${error.message}`);
    return 'swallowed';
  }
}

describe('user enhancers on reliable handlers (real kafkajs over TCP)', () => {
  let target: KafkaTarget;
  let tools: KafkaTools;
  const apps: TestingModule[] = [];
  const start = async (provider: Provider) => {
    const app = await startApp(ReliableKafkaModule.forRoot(testOptions(target.brokers)), {
      providers: [provider],
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    target = await startKafkaTarget();
    tools = await kafkaTools(target.brokers);
  });

  beforeEach(() => {
    trail.length = 0;
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await tools?.close();
    await target?.stop();
  });

  it('runs guards, interceptors and pipes with context type kafka, and param decorators resolve', async () => {
    const topic = uniqueName('enh');
    const groupId = uniqueName('enh');
    await createTopic(tools, topic);
    const received: { values: number[]; context: KafkaContext }[] = [];

    @Injectable()
    @UseGuards(RecordingGuard)
    class Handlers {
      @UseInterceptors(RecordingInterceptor)
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true })
      async handle(
        @KafkaCtx() context: KafkaContext,
        @Messages(DoublingPipe) messages: ReliableMessage<Order>[],
      ) {
        trail.push('handler');
        received.push({ values: messages.map((m) => m.value.n), context });
      }
    }
    await start(Handlers);
    await produceJson(tools, topic, [{ n: 1 }, { n: 2 }]);
    await waitFor(async () => (await committedOffset(tools, groupId, topic)) === '2', {
      message: 'committed',
    });

    expect(received).toHaveLength(1);
    expect(received[0].values).toEqual([2, 4]);
    const context = received[0].context;
    expect(context).toBeInstanceOf(KafkaContext);
    expect([context.topic, context.partition, context.groupId]).toEqual([topic, 0, groupId]);
    expect(trail).toEqual([
      'guard kafka=true type=kafka',
      'interceptor before kafka=true n=2',
      'pipe type=custom',
      'handler',
      'interceptor after',
    ]);
  });

  it('a handler on a factory provider gets the commit step too', async () => {
    const topic = uniqueName('enh-factory');
    const groupId = uniqueName('enh-factory');
    await createTopic(tools, topic);
    const seen: number[] = [];

    class Built {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true })
      async handle(messages: ReliableMessage<Order>[]) {
        seen.push(...messages.map((m) => m.value.n));
      }
    }
    await start({ provide: 'ORDERS_HANDLER', useFactory: () => new Built() });
    await produceJson(tools, topic, [{ n: 1 }, { n: 2 }]);
    await waitFor(async () => (await committedOffset(tools, groupId, topic)) === '2', {
      message: 'committed',
    });
    expect(seen).toEqual([1, 2]);
  });

  it('a guard that denies the batch means it is not handled and not committed', async () => {
    const topic = uniqueName('enh-deny');
    const groupId = uniqueName('enh-deny');
    await createTopic(tools, topic);
    let handled = 0;

    @Injectable()
    class Guarded {
      @UseGuards(DenyingGuard)
      // Dead-lettering off: a denied batch would otherwise be dead-lettered after its attempts.
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, deadLetterTopic: false })
      async handle() {
        handled++;
      }
    }
    await start(Guarded);
    await produceJson(tools, topic, [{ n: 1 }]);
    await waitFor(() => trail.filter((t) => t === 'deny').length >= 2, {
      message: 'guard consulted on retries',
    });
    expect(handled).toBe(0);
    expect(await committedOffset(tools, groupId, topic)).toBe('-1');
  });

  it('an exception filter runs, but cannot turn a failed batch into a committed one', async () => {
    const topic = uniqueName('enh-filter');
    const groupId = uniqueName('enh-filter');
    await createTopic(tools, topic);

    @Injectable()
    class Filtered {
      @UseFilters(SwallowingFilter)
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, deadLetterTopic: false })
      async handle(messages: ReliableMessage<Order>[]) {
        throw new Error(`order ${messages[0].value.n} failed`);
      }
    }
    await start(Filtered);
    await produceJson(tools, topic, [{ n: 7 }]);
    await waitFor(() => trail.filter((t) => t === 'filter kafka=true order 7 failed').length >= 2, {
      message: 'filter ran on retries',
    });
    expect(await committedOffset(tools, groupId, topic)).toBe('-1');
  });
});
