import { register, Registry } from 'prom-client';
import { InvalidConfigError } from '../errors/invalid-config.error';
import type { ReliableKafkaModuleOptions } from '../interfaces/reliable-kafka-options.interface';
import { validateOptions } from './validate-options.util';

const base: ReliableKafkaModuleOptions = { client: { clientId: 't', brokers: ['127.0.0.1:9092'] } };

describe('validateOptions: metrics', () => {
  it("defaults to prom-client's global registry and no prefix", () => {
    expect(validateOptions(base).metrics).toEqual({ registry: register, prefix: '' });
  });

  it('keeps a given registry and prefix, and false', () => {
    const registry = new Registry();
    expect(validateOptions({ ...base, metrics: { registry, prefix: 'orders_' } }).metrics).toEqual({
      registry,
      prefix: 'orders_',
    });
    expect(validateOptions({ ...base, metrics: false }).metrics).toBe(false);
  });

  it.each([
    ['metrics.prefix', { prefix: '9orders' }],
    ['metrics.prefix', { prefix: 'orders-' }],
    ['metrics.registry', { registry: {} as Registry }],
    ['metrics', 'on' as unknown as false],
  ])('rejects a bad %s', (option, metrics) => {
    const error = (() => {
      try {
        validateOptions({ ...base, metrics });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).option).toBe(option);
  });
});
