import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  InvalidConfigError,
  ReliableBatchHandler,
  ReliableKafkaModule,
  RESOLVED_RELIABLE_KAFKA_OPTIONS,
  type ReliableKafkaModuleOptions,
  type ResolvedReliableKafkaOptions,
} from 'nestjs-reliable-kafka';

jest.setTimeout(30_000);

/** Compiles and inits an app; returns the InvalidConfigError it fails with (the test fails if it starts). */
async function startupError(options: ReliableKafkaModuleOptions, providers: (new () => unknown)[] = []) {
  let moduleRef;
  try {
    moduleRef = await Test.createTestingModule({
      imports: [ReliableKafkaModule.forRoot(options)],
      providers,
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
  } catch (error) {
    await moduleRef?.close().catch(() => undefined);
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  await moduleRef.close();
  throw new Error('the app started although its config is invalid');
}

// No broker is contacted: validation happens before anything connects.
const client = { clientId: 'config-e2e', brokers: ['127.0.0.1:1'] };

describe('ReliableKafkaModule configuration', () => {
  it.each([
    ['missing client.brokers', { client: { clientId: 'x' } }, 'client.brokers', /brokers/],
    ['acks 1 with unsafeConfig fail', { client, producer: { acks: 1 } }, 'producer.acks', /acks 1 .*lose/],
    ['idempotence off', { client, producer: { idempotent: false } }, 'producer.idempotent', /twice/],
    [
      'postgres store without dataSource',
      { client, dedup: { store: 'postgres' } },
      'dedup.dataSource',
      /DataSource/,
    ],
    ['redis store without url', { client, dedup: { store: 'redis' } }, 'dedup.url', /url/],
    [
      'a misspelt top-level dedupe',
      { client, dedupe: { store: 'memory' } },
      'dedupe',
      /did you mean "dedup"/,
    ],
    [
      'a misspelt dedup.claimTTLMs',
      { client, dedup: { store: 'memory', claimTTLMs: 60_000 } },
      'dedup.claimTTLMs',
      /did you mean "claimTtlMs"/,
    ],
    [
      'a Redis URL that is not one',
      { client, dedup: { store: 'redis', url: 'not a url' } },
      'dedup.url',
      /not a Redis URL/,
    ],
    ['NaN', { client, consumer: { maxBatchSize: NaN } }, 'consumer.maxBatchSize', /got NaN/],
  ])('%s fails at startup naming the option and the fix', async (_name, options, option, problem) => {
    const error = await startupError(options as ReliableKafkaModuleOptions);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain('Fix:');
  });

  it('a handler without groupId fails at startup naming the handler', async () => {
    @Injectable()
    class NoGroup {
      @ReliableBatchHandler({ topic: 'orders' } as never)
      async handle() {}
    }
    const error = await startupError({ client }, [NoGroup]);
    expect(error.option).toBe('NoGroup.handle: groupId');
    expect(error.message).toContain('add groupId');
  });

  it('two handlers sharing a groupId fail at startup naming both', async () => {
    @Injectable()
    class First {
      @ReliableBatchHandler({ topic: 'a', groupId: 'shared' })
      async handle() {}
    }
    @Injectable()
    class Second {
      @ReliableBatchHandler({ topic: 'b', groupId: 'shared' })
      async handle() {}
    }
    const error = await startupError({ client }, [First, Second]);
    expect(error.option).toBe('Second.handle: groupId');
    expect(error.message).toContain('First.handle');
  });

  it('a misspelt handler option fails at startup naming the handler and the closest option', async () => {
    @Injectable()
    class Misspelt {
      @ReliableBatchHandler({ topic: 'orders', groupId: 'g', maxBatchsize: 10 } as never)
      async handle() {}
    }
    const error = await startupError({ client }, [Misspelt]);
    expect(error.option).toBe('Misspelt.handle: maxBatchsize');
    expect(error.message).toContain('did you mean "maxBatchSize"');
    expect(error.message).toContain('The application did not start');
  });

  it('transactional dedup without the postgres store fails at startup', async () => {
    @Injectable()
    class Tx {
      @ReliableBatchHandler({ topic: 'a', groupId: 'tx', dedup: { transactional: true } })
      async handle() {}
    }
    const error = await startupError({ client, dedup: { store: 'memory' } }, [Tx]);
    expect(error.option).toBe('Tx.handle: dedup.transactional');
  });

  it('forRootAsync resolves options from a factory, validated and with defaults', async () => {
    @Module({ providers: [{ provide: 'BROKERS', useValue: ['127.0.0.1:1'] }], exports: ['BROKERS'] })
    class ConfigModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        ReliableKafkaModule.forRootAsync({
          imports: [ConfigModule],
          inject: ['BROKERS'],
          useFactory: (brokers: string[]) => ({
            client: { clientId: 'async', brokers },
            dedup: { store: 'memory' },
          }),
        }),
      ],
    }).compile();
    const resolved = moduleRef.get<ResolvedReliableKafkaOptions>(RESOLVED_RELIABLE_KAFKA_OPTIONS);
    expect(resolved.client.brokers).toEqual(['127.0.0.1:1']);
    expect(resolved.producer.acks).toBe(-1);
    expect(resolved.dedup).toEqual({ store: 'memory' });
    await moduleRef.close();
  });

  it('forRootAsync with an invalid factory result fails at startup', async () => {
    const attempt = Test.createTestingModule({
      imports: [
        ReliableKafkaModule.forRootAsync({
          useFactory: () => ({ client, dedup: { store: 'postgres' } as never }),
        }),
      ],
    }).compile();
    await expect(attempt).rejects.toThrow(InvalidConfigError);
    await expect(attempt).rejects.toThrow(/dedup\.dataSource/);
  });
});
