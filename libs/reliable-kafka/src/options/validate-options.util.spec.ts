import type { DataSource } from 'typeorm';
import { DeserializationError } from '../errors/deserialization.error';
import { InvalidConfigError } from '../errors/invalid-config.error';
import type { ReliableKafkaModuleOptions } from '../interfaces/reliable-kafka-options.interface';
import { jsonDeserializer } from './default-options';
import { validateOptions } from './validate-options.util';

const client = { clientId: 't', brokers: ['127.0.0.1:9092'] };

function configError(options: unknown): InvalidConfigError {
  try {
    validateOptions(options as ReliableKafkaModuleOptions);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error;
    throw error;
  }
  throw new Error('expected InvalidConfigError');
}

describe('validateOptions', () => {
  it('fills in the safe defaults', () => {
    const resolved = validateOptions({ client });
    expect(resolved.producer).toEqual({
      acks: -1,
      idempotent: true,
      deliveryTimeoutMs: 30_000,
      initialRetryTimeMs: 100,
      maxRetryTimeMs: 5_000,
      lingerMs: 2,
      messageIdHeader: 'message-id',
      maxBufferedBytes: 64 * 1024 * 1024,
      maxBufferedBytesPerTopic: 64 * 1024 * 1024,
      maxBlockMs: 30_000,
      maxRequestBytes: 1_048_576,
      maxBatchBytes: 1_000_000,
      metadataMaxAgeMs: 300_000,
    });

    expect(resolved.dedup).toEqual({ store: 'none' });
    expect(resolved.unsafeConfig).toBe('fail');
    expect(resolved.deserializer).toBe(jsonDeserializer);
    expect(resolved.consumer.retry).toEqual({
      maxAttempts: 3,
      initialDelayMs: 200,
      maxDelayMs: 5_000,
      nonRetryable: [DeserializationError],
    });
    expect(resolved.warnings).toEqual([]);
  });

  it("stamps the header the consumers read: the producer's id header follows the module's unless set", () => {
    expect(validateOptions({ client, messageIdHeader: 'x-id' }).producer.messageIdHeader).toBe('x-id');
    expect(
      validateOptions({ client, messageIdHeader: 'x-id', producer: { messageIdHeader: 'p-id' } }).producer
        .messageIdHeader,
    ).toBe('p-id');
  });

  it('keeps given values and ignores explicit undefined', () => {
    const resolved = validateOptions({
      client,
      producer: { lingerMs: 0, acks: undefined },
      consumer: { maxBatchSize: 7 },
    });
    expect(resolved.producer.lingerMs).toBe(0);
    expect(resolved.producer.acks).toBe(-1);
    expect(resolved.consumer.maxBatchSize).toBe(7);
  });

  it.each([
    [undefined, 'options'],
    [{}, 'client'],
    [{ client: { clientId: 'x' } }, 'client.brokers'],
    [{ client: { brokers: [] } }, 'client.brokers'],
    [{ client: { brokers: [''] } }, 'client.brokers'],
    [{ client, dedup: { store: 'mongo' } }, 'dedup.store'],
    [{ client, dedup: { store: 'redis' } }, 'dedup.url'],
    [{ client, dedup: { store: 'postgres' } }, 'dedup.dataSource'],
    [{ client, dedup: { store: 'memory', claimTtlMs: 0 } }, 'dedup.claimTtlMs'],
    [{ client, producer: { acks: 2 } }, 'producer.acks'],
    [{ client, producer: { acks: 1 } }, 'producer.acks'],
    [{ client, producer: { acks: 0 } }, 'producer.acks'],
    [{ client, producer: { idempotent: false } }, 'producer.idempotent'],
    [{ client, producer: { deliveryTimeoutMs: -1 } }, 'producer.deliveryTimeoutMs'],
    [{ client, producer: { initialRetryTimeMs: 500, maxRetryTimeMs: 100 } }, 'producer.maxRetryTimeMs'],
    [{ client, unsafeConfig: 'ignore' }, 'unsafeConfig'],
    [{ client, messageIdHeader: '' }, 'messageIdHeader'],
    [{ client, deserializer: 'json' }, 'deserializer'],
    [{ client, consumer: { maxBatchSize: 0 } }, 'consumer.maxBatchSize'],
    [
      { client, consumer: { heartbeatInterval: 20_000, sessionTimeout: 30_000 } },
      'consumer.heartbeatInterval',
    ],
    [{ client, consumer: { retry: { initialDelayMs: 1000, maxDelayMs: 10 } } }, 'consumer.retry.maxDelayMs'],
    [{ client, consumer: { retry: { nonRetryable: 'Error' as never } } }, 'consumer.retry.nonRetryable'],
    [{ client, consumer: { retry: { nonRetryable: [{}] as never } } }, 'consumer.retry.nonRetryable'],
  ])('rejects %j naming %s', (options, option) => {
    const error = configError(options);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).toContain('Fix:');
  });

  it('says how to fix acks 1 under unsafeConfig fail', () => {
    const error = configError({ client, producer: { acks: 1 } });
    expect(error.message).toMatch(/acks 1 .*lose/);
    expect(error.fix).toContain("unsafeConfig: 'warn'");
  });

  it('accepts unsafe settings with a warning under unsafeConfig warn', () => {
    const resolved = validateOptions({
      client,
      unsafeConfig: 'warn',
      producer: { acks: 1, idempotent: false },
    });
    expect(resolved.producer.acks).toBe(1);
    expect(resolved.warnings).toHaveLength(2);
    expect(resolved.warnings[0]).toContain('producer.acks');
    expect(resolved.warnings[1]).toContain('producer.idempotent');
  });

  it('still rejects idempotence with acks other than -1, even under warn', () => {
    expect(configError({ client, unsafeConfig: 'warn', producer: { acks: 1 } }).option).toBe(
      'producer.idempotent',
    );
  });

  it('accepts a brokers function and every store with its required fields', () => {
    expect(() => validateOptions({ client: { brokers: async () => ['a:1'] } })).not.toThrow();
    expect(() => validateOptions({ client, dedup: { store: 'redis', url: 'redis://x' } })).not.toThrow();
    expect(() => validateOptions({ client, dedup: { store: 'memory' } })).not.toThrow();
    const dataSource = {} as DataSource;
    expect(() => validateOptions({ client, dedup: { store: 'postgres', dataSource } })).not.toThrow();
  });
});
