import { Logger } from '@nestjs/common';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import { BatchRunner } from './batch-runner';
import {
  fakePayload,
  handlerOptions,
  invokeThroughCommitInterceptor,
  keyed,
  later,
  testMapping,
  type FixtureHandler,
} from './batch-runner.fixtures';
import type { MessageMapping } from './message-mapper.util';

beforeAll(() => Logger.overrideLogger(false));

function runner(handler: FixtureHandler, options: Partial<ResolvedHandlerOptions>, mapping: MessageMapping) {
  return new BatchRunner(
    { name: 'T.h', options: handlerOptions(options, null), invoke: invokeThroughCommitInterceptor(handler) },
    { store: null, mapping, logger: new Logger('test') },
  );
}

describe('BatchRunner key lanes start lazily', () => {
  it('maps only the records of the lanes about to run, not every key of the batch up front', async () => {
    let mapped = 0;
    const mapping: MessageMapping = {
      ...testMapping,
      deserializer: (value, source) => (mapped++, testMapping.deserializer(value, source)),
    };
    const batch = Array.from({ length: 1000 }, (_, i) => keyed(i, `k${i}`));
    const { payload, commits } = fakePayload(batch, []);
    const mappedAtCall: number[] = [];
    const handle: FixtureHandler = async () => {
      mappedAtCall.push(mapped);
      await later();
    };
    await runner(handle, { ordering: 'key', concurrency: 2 }, mapping).eachBatch(payload);
    expect(mappedAtCall).toHaveLength(1000);
    // concurrency 2: two lanes hold slots, at most one more waits for a slot with its records mapped.
    expect(mappedAtCall[0]).toBeLessThanOrEqual(3);
    expect(commits[commits.length - 1]).toBe('1000');
  });

  it('a key backing off holds neither a slot nor a start: the keys after it run meanwhile', async () => {
    const calls: string[] = [];
    let failedOnce = false;
    const batch = ['a', 'b', 'c', 'd'].map((key, i) => keyed(i, key));
    const { payload, commits } = fakePayload(batch, []);
    const handle: FixtureHandler = async (ms) => {
      calls.push(String(ms[0].key));
      await later();
      if (ms[0].key === 'a' && !failedOnce) {
        failedOnce = true;
        throw new Error('a is down');
      }
    };
    const retry = { maxAttempts: 3, initialDelayMs: 40, maxDelayMs: 40, nonRetryable: [] };
    await runner(handle, { ordering: 'key', concurrency: 1, retry }, testMapping).eachBatch(payload);
    expect(calls).toEqual(['a', 'b', 'c', 'd', 'a']);
    expect(commits[commits.length - 1]).toBe('4');
  });
});
