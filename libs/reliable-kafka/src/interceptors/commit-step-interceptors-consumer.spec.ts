import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { EMPTY, lastValueFrom, Observable, of } from 'rxjs';
import { CallOutcome } from '../consumer/pipeline/call-outcome';
import { attachCallOutcome, KafkaContext } from '../consumer/kafka-context';
import { KAFKA_CONTEXT_TYPE } from '../reliable-kafka.constants';
import { CommitAfterSuccessInterceptor } from './commit-after-success.interceptor';
import { CommitStepInterceptorsConsumer } from './commit-step-interceptors-consumer';

/** An outcome recorder that also logs what the commit step told it. */
function recordingOutcome(log: string[]): CallOutcome {
  const outcome = new CallOutcome();
  const succeeded = outcome.succeeded.bind(outcome);
  const failed = outcome.failed.bind(outcome);
  outcome.succeeded = () => {
    log.push('succeed');
    succeeded();
  };
  outcome.failed = (error: unknown) => {
    log.push(`fail:${(error as Error).message}`);
    failed(error);
  };
  return outcome;
}

function contextWith(outcome: CallOutcome): KafkaContext {
  const controls = { heartbeat: async () => undefined, isRunning: () => true, isStale: () => false };
  const context = new KafkaContext('t', 0, 'g', controls);
  attachCallOutcome(context, outcome);
  return context;
}

const commitStep = [new CommitAfterSuccessInterceptor()];
const instance = {};
const callback = () => undefined;

describe('CommitStepInterceptorsConsumer', () => {
  const consumer = new CommitStepInterceptorsConsumer();

  it('with the commit step alone, succeeds only after the method resolved and returns its result', async () => {
    const log: string[] = [];
    const context = contextWith(recordingOutcome(log));
    const next = async () => {
      log.push('method');
      return 42;
    };
    const result = await consumer.intercept(
      commitStep,
      [[], context],
      instance,
      callback,
      next,
      KAFKA_CONTEXT_TYPE,
    );
    expect(result).toBe(42);
    expect(log).toEqual(['method', 'succeed']);
  });

  it("waits for an observable's last value (undefined when empty), as Nest's chain does", async () => {
    const log: string[] = [];
    const context = contextWith(recordingOutcome(log));
    const last = await consumer.intercept(
      commitStep,
      [[], context],
      instance,
      callback,
      async () => of(1, 2, 3),
      KAFKA_CONTEXT_TYPE,
    );
    expect(last).toBe(3);
    const empty = await consumer.intercept(
      commitStep,
      [[], context],
      instance,
      callback,
      async () => EMPTY,
      KAFKA_CONTEXT_TYPE,
    );
    expect(empty).toBeUndefined();
  });

  it('fails the settlement with the error and rethrows it', async () => {
    const log: string[] = [];
    const context = contextWith(recordingOutcome(log));
    const next = async () => {
      throw new Error('boom');
    };
    await expect(
      consumer.intercept(commitStep, [[], context], instance, callback, next, KAFKA_CONTEXT_TYPE),
    ).rejects.toThrow('boom');
    expect(log).toEqual(['fail:boom']);
  });

  it('runs the full chain when another interceptor is present', async () => {
    const log: string[] = [];
    const context = contextWith(recordingOutcome(log));
    const outer: NestInterceptor = {
      intercept: (_ctx: ExecutionContext, handler: CallHandler) => {
        log.push('outer');
        return handler.handle();
      },
    };
    const result = await consumer.intercept(
      [outer, ...commitStep],
      [[], context],
      instance,
      callback,
      async () => 'done',
      KAFKA_CONTEXT_TYPE,
    );
    // Nest's chain hands back an observable (its caller unwraps it): the interceptors run on subscription.
    expect(result).toBeInstanceOf(Observable);
    expect(await lastValueFrom(result as Observable<unknown>)).toBe('done');
    expect(log).toEqual(['outer', 'succeed']);
  });
});
