import { InvalidConfigError } from '../errors/invalid-config.error';
import type { ReliableBatchHandlerOptions } from '../interfaces/batch-handler-options.interface';
import type { ReliableKafkaModuleOptions } from '../interfaces/reliable-kafka-options.interface';
import { KNOWN_OPTION_KEYS } from './known-option-keys';
import { resolveHandlerOptions } from './resolve-handler-options.util';
import { validateOptions } from './validate-options.util';

const client = { clientId: 't', brokers: ['127.0.0.1:9092'] };

function rejection(fn: () => unknown): InvalidConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidConfigError) return error;
    throw error;
  }
  throw new Error('expected InvalidConfigError');
}

const moduleWith = (extra: Record<string, unknown>) => () =>
  validateOptions({ client, ...extra } as unknown as ReliableKafkaModuleOptions);
const handlerWith =
  (options: Record<string, unknown>, module: Record<string, unknown> = {}) =>
  () =>
    resolveHandlerOptions(
      {
        name: 'Orders.handle',
        options: { topic: 'orders', groupId: 'g', ...options } as ReliableBatchHandlerOptions,
      },
      validateOptions({ client, ...module } as unknown as ReliableKafkaModuleOptions),
    );

describe('strict options: unknown keys are rejected with the closest known name', () => {
  it.each([
    [
      'a top-level dedupe (dedup silently off)',
      moduleWith({ dedupe: { store: 'memory' } }),
      'dedupe',
      'dedup',
    ],
    [
      'dedup.claimTTLMs',
      moduleWith({ dedup: { store: 'memory', claimTTLMs: 60_000 } }),
      'dedup.claimTTLMs',
      'claimTtlMs',
    ],
    [
      'consumer.maxBatchsize',
      moduleWith({ consumer: { maxBatchsize: 10 } }),
      'consumer.maxBatchsize',
      'maxBatchSize',
    ],
    [
      'consumer.retry.maxAtempts',
      moduleWith({ consumer: { retry: { maxAtempts: 2 } } }),
      'consumer.retry.maxAtempts',
      'maxAttempts',
    ],
    ['producer.ack', moduleWith({ producer: { ack: -1 } }), 'producer.ack', 'acks'],
    ['client.broker', moduleWith({ client: { ...client, broker: 'x:1' } }), 'client.broker', 'brokers'],
    ['doctor.mod', moduleWith({ doctor: { mod: 'off' } }), 'doctor.mod', 'mode'],
    ['metrics.prefx', moduleWith({ metrics: { prefx: 'a_' } }), 'metrics.prefx', 'prefix'],
    [
      'topics[0].partition',
      moduleWith({ topics: [{ name: 'a', partition: 3 }] }),
      'topics[0].partition',
      'partitions',
    ],
    [
      'a handler maxBatchsize',
      handlerWith({ maxBatchsize: 5 }),
      'Orders.handle: maxBatchsize',
      'maxBatchSize',
    ],
    ['a handler retries', handlerWith({ retries: 5 }), 'Orders.handle: retries', 'retry'],
    [
      'a handler retryTopics.delays',
      handlerWith({ retryTopics: { delays: [1000] } }),
      'Orders.handle: retryTopics.delays',
      'delaysMs',
    ],
    [
      'a handler dedup.transactionnal',
      handlerWith({ dedup: { transactionnal: true } }, { dedup: { store: 'memory' } }),
      'Orders.handle: dedup.transactionnal',
      'transactional',
    ],
  ])('%s', (_name, run, option, closest) => {
    const error = rejection(run);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`did you mean "${closest}"`);
    expect(error.fix).toBe(`rename it to "${closest}"`);
  });

  it('lists the known options when no name is close', () => {
    const error = rejection(moduleWith({ retries: 3 }));
    expect(error.option).toBe('retries');
    expect(error.message).not.toContain('did you mean');
    expect(error.fix).toContain('consumer');
    expect(error.fix).toContain('dedup');
  });

  it('rejects options of another dedup store (a url on the memory store)', () => {
    expect(rejection(moduleWith({ dedup: { store: 'memory', url: 'redis://x:1' } })).option).toBe(
      'dedup.url',
    );
    expect(rejection(moduleWith({ dedup: { store: 'none', claimTtlMs: 1000 } })).option).toBe(
      'dedup.claimTtlMs',
    );
  });

  it('accepts every known key', () => {
    const producer = Object.fromEntries(KNOWN_OPTION_KEYS.producer.map((k) => [k, undefined]));
    const consumer = Object.fromEntries(KNOWN_OPTION_KEYS.handlerDefaults.map((k) => [k, undefined]));
    expect(() =>
      validateOptions({
        client: { ...client, ssl: false, requestTimeout: 30_000, connectionTimeout: 3000, logLevel: 1 },
        producer,
        consumer,
        dedup: {
          store: 'redis',
          url: 'redis://127.0.0.1:6379',
          keyPrefix: 'p',
          claimTtlMs: 600_000,
          retentionMs: 7e8,
        },
        doctor: { mode: 'off', topics: [] },
        metrics: { prefix: 'x_' },
        topics: [
          {
            name: 'a',
            partitions: 3,
            replicationFactor: 3,
            configs: {},
            deadLetter: true,
            retryDelaysMs: [],
          },
        ],
      } as ReliableKafkaModuleOptions),
    ).not.toThrow();
  });
});

describe('strict options: values and cross-field rules', () => {
  it('names NaN, Infinity and strings as given (not "null")', () => {
    expect(rejection(moduleWith({ consumer: { maxBatchSize: NaN } })).problem).toContain('got NaN');
    expect(rejection(moduleWith({ consumer: { concurrency: Infinity } })).problem).toContain('got Infinity');
    expect(rejection(moduleWith({ shutdownTimeoutMs: '5000' })).problem).toContain('got "5000"');
  });

  it('a claim TTL shorter than the handler call bound stops startup (claimTtlMs: 1)', () => {
    const error = rejection(
      handlerWith({}, { dedup: { store: 'memory', claimTtlMs: 1, retentionMs: 1000 } }),
    );
    expect(error.option).toBe('Orders.handle: callTimeoutMs');
    expect(error.problem).toContain('dedup.claimTtlMs');
  });

  it('a retention shorter than the claim TTL stops startup', () => {
    const error = rejection(
      moduleWith({ dedup: { store: 'memory', claimTtlMs: 600_000, retentionMs: 1000 } }),
    );
    expect(error.option).toBe('dedup.retentionMs');
  });

  it.each([
    ['not a url', 'does not parse as a URL'],
    ['http://127.0.0.1:6379', 'scheme is "http:"'],
    ['redis://', 'names no host'],
  ])('a Redis URL %j is named, with the reason and the form to use', (url, reason) => {
    const error = rejection(moduleWith({ dedup: { store: 'redis', url } }));
    expect(error.option).toBe('dedup.url');
    expect(error.problem).toContain(reason);
    expect(error.fix).toContain('redis://');
  });

  it('masks a password in a URL it echoes', () => {
    const error = rejection(moduleWith({ dedup: { store: 'redis', url: 'http://user:s3cret@host:1' } }));
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toContain(':***@');
  });

  it('accepts redis://, rediss:// and a unix socket path', () => {
    for (const url of ['redis://127.0.0.1:6379/2', 'rediss://u:p@h:6380', '/var/run/redis.sock'])
      expect(() => moduleWith({ dedup: { store: 'redis', url } })()).not.toThrow();
  });

  it('says that the application did not start', () => {
    expect(rejection(moduleWith({ dedupe: {} })).message).toMatch(/application did not start/);
  });
});
