import { DeserializationError } from '../errors/deserialization.error';
import { InvalidConfigError } from '../errors/invalid-config.error';
import type { ReliableBatchHandlerOptions } from '../interfaces/batch-handler-options.interface';
import type { DedupOptions } from '../interfaces/reliable-kafka-options.interface';
import { resolveAllHandlerOptions, resolveHandlerOptions } from './resolve-handler-options.util';
import { validateOptions } from './validate-options.util';

const moduleOptions = (dedup?: DedupOptions) =>
  validateOptions({ client: { brokers: ['b:1'] }, dedup, consumer: { maxBatchSize: 50 } });
const declare = (options: Partial<ReliableBatchHandlerOptions>, name = 'C.handle') => ({
  name,
  options: options as ReliableBatchHandlerOptions,
});

function optionOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.option;
    throw error;
  }
  throw new Error('expected InvalidConfigError');
}

describe('resolveHandlerOptions', () => {
  it('merges module defaults and handler overrides', () => {
    const r = resolveHandlerOptions(
      declare({ topic: 'a', topics: ['b'], groupId: 'g', retry: { maxAttempts: 5 } }),
      moduleOptions(),
    );
    expect(r).toMatchObject({
      topics: ['a', 'b'],
      groupId: 'g',
      fromBeginning: false,
      maxBatchSize: 50,
      dedup: 'off',
      deadLetterTopic: undefined,
      retry: { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 5000, nonRetryable: [DeserializationError] },
      concurrency: 1,
      commitIntervalMs: 50,
    });
  });

  it('turns dedup on by default when the module has a store, off on request, transactional with postgres', () => {
    expect(
      resolveHandlerOptions(declare({ topic: 'a', groupId: 'g' }), moduleOptions({ store: 'memory' })).dedup,
    ).toBe('on');
    expect(
      resolveHandlerOptions(
        declare({ topic: 'a', groupId: 'g', dedup: false }),
        moduleOptions({ store: 'memory' }),
      ).dedup,
    ).toBe('off');
    const pg = moduleOptions({ store: 'postgres', dataSource: {} as never });
    expect(
      resolveHandlerOptions(declare({ topic: 'a', groupId: 'g', dedup: { transactional: true } }), pg).dedup,
    ).toBe('transactional');
  });

  it.each([
    [{ topic: 'a' }, 'C.handle: groupId'],
    [{ topic: 'a', groupId: ' ' }, 'C.handle: groupId'],
    [{ groupId: 'g' }, 'C.handle: topic'],
    [{ topics: [''], groupId: 'g' }, 'C.handle: topics[0]'],
    [{ topic: 'a', groupId: 'g', dedup: true }, 'C.handle: dedup'],
    [{ topic: 'a', groupId: 'g', maxBatchSize: 1.5 }, 'C.handle.maxBatchSize'],
    [{ topic: 'a', groupId: 'g', deadLetterTopic: '' }, 'C.handle: deadLetterTopic'],
    [{ topic: 'a', groupId: 'g', commitIntervalMs: -1 }, 'C.handle.commitIntervalMs'],
  ])('rejects %j naming %s', (options, option) => {
    expect(optionOf(() => resolveHandlerOptions(declare(options), moduleOptions()))).toBe(option);
  });

  it('dead-letters to <topic>.dlt by default (undefined), to a named topic, or not at all', () => {
    const resolve = (deadLetterTopic?: string | false) =>
      resolveHandlerOptions(declare({ topic: 'a', groupId: 'g', deadLetterTopic }), moduleOptions())
        .deadLetterTopic;
    expect(resolve()).toBeUndefined();
    expect(resolve('all.dlt')).toBe('all.dlt');
    expect(resolve(false)).toBe(false);
  });

  it('lets a handler replace the non-retryable error classes', () => {
    class Invalid extends Error {}
    const r = resolveHandlerOptions(
      declare({ topic: 'a', groupId: 'g', retry: { nonRetryable: [Invalid] } }),
      moduleOptions(),
    );
    expect(r.retry.nonRetryable).toEqual([Invalid]);
  });

  it('rejects transactional dedup without the postgres store', () => {
    const option = optionOf(() =>
      resolveHandlerOptions(
        declare({ topic: 'a', groupId: 'g', dedup: { transactional: true } }),
        moduleOptions({ store: 'memory' }),
      ),
    );
    expect(option).toBe('C.handle: dedup.transactional');
  });
});

describe('resolveHandlerOptions: retryTopics', () => {
  it('resolves the stage delays and gives each stage one attempt, whatever the module default says', () => {
    const module = validateOptions({ client: { brokers: ['b:1'] }, consumer: { retry: { maxAttempts: 4 } } });
    const r = resolveHandlerOptions(
      declare({ topic: 'a', groupId: 'g', retryTopics: { delaysMs: [1000, 10000] } }),
      module,
    );
    expect(r.retryTopicDelaysMs).toEqual([1000, 10000]);
    expect(r.retry.maxAttempts).toBe(1);
    expect(resolveHandlerOptions(declare({ topic: 'a', groupId: 'g' }), module).retry.maxAttempts).toBe(4);
  });

  it.each([
    [{ retry: { maxAttempts: 3 } }, 'C.handle: retry.maxAttempts', 'the stages are the attempts'],
    [{ topics: [/orders-.*/] }, 'C.handle: retryTopics', 'topic names'],
    [{ deadLetterTopic: false as const }, 'C.handle: deadLetterTopic', 'dead-letter topic'],
  ])('rejects %j next to retryTopics', (extra, option, problem) => {
    const declared = declare({ topic: 'a', groupId: 'g', retryTopics: { delaysMs: [100] }, ...extra });
    expect(optionOf(() => resolveHandlerOptions(declared, moduleOptions()))).toBe(option);
    expect(() => resolveHandlerOptions(declared, moduleOptions())).toThrow(problem);
  });

  it.each([
    [{ delaysMs: [] }, 'C.handle: retryTopics.delaysMs'],
    [{ delaysMs: [100, 0] }, 'C.handle: retryTopics.delaysMs[1]'],
    [{ delaysMs: [100, 100] }, 'C.handle: retryTopics.delaysMs[1]'],
  ])('rejects delays %j', (retryTopics, option) => {
    const declared = declare({ topic: 'a', groupId: 'g', retryTopics });
    expect(optionOf(() => resolveHandlerOptions(declared, moduleOptions()))).toBe(option);
  });
});

describe('resolveAllHandlerOptions', () => {
  it('derives rebalanceTimeout from the call bound, never below the session timeout; refuses one set below it', () => {
    const r = (options: Partial<ReliableBatchHandlerOptions>) =>
      resolveHandlerOptions(declare({ topic: 'a', groupId: 'g', ...options }), moduleOptions());
    expect(r({}).rebalanceTimeout).toBe(300_000 + 15_000);
    expect(r({ callTimeoutMs: 1_500 }).rebalanceTimeout).toBe(30_000); // the session timeout, not 16.5 s
    expect(r({ callTimeoutMs: 1_500, sessionTimeout: 10_000 }).rebalanceTimeout).toBe(16_500);
    expect(optionOf(() => r({ rebalanceTimeout: 5_000 }))).toBe('C.handle: rebalanceTimeout');
  });

  it('rejects two handlers sharing a groupId, naming both', () => {
    try {
      resolveAllHandlerOptions(
        [declare({ topic: 'a', groupId: 'g' }, 'A.x'), declare({ topic: 'b', groupId: 'g' }, 'B.y')],
        moduleOptions(),
      );
      throw new Error('expected InvalidConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect((error as InvalidConfigError).option).toBe('B.y: groupId');
      expect((error as Error).message).toContain('A.x');
    }
  });

  it('accepts distinct groups', () => {
    const all = resolveAllHandlerOptions(
      [declare({ topic: 'a', groupId: 'g1' }), declare({ topic: 'a', groupId: 'g2' })],
      moduleOptions(),
    );
    expect(all.map((h) => h.groupId)).toEqual(['g1', 'g2']);
  });
});
