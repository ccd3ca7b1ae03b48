import type { NestInterceptor } from '@nestjs/common';
import type { ContextType, Controller } from '@nestjs/common/interfaces';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { lastValueFrom, Observable, of } from 'rxjs';
import { getCallOutcome } from '../consumer/kafka-context';
import { runCommitStep } from '../consumer/pipeline/call-outcome';
import { KAFKA_CONTEXT_TYPE } from '../reliable-kafka.constants';
import { CommitAfterSuccessInterceptor } from './commit-after-success.interceptor';

/**
 * Nest's interceptor chain, with a shortcut for the common case where the commit step is a reliable handler's
 * only interceptor. Nest's chain costs two `AsyncResource.bind` (each also builds deprecated accessors) and a
 * few rxjs subscriptions per interceptor per call, a large share of a one-message call. The shortcut runs the
 * same commit step (`runCommitStep`) in the same place (inside guards and filters, around pipes and the method);
 * an observable result is awaited to its last value, as Nest's chain does. With any other interceptor (global,
 * class or method) the full chain runs.
 */
export class CommitStepInterceptorsConsumer extends InterceptorsConsumer {
  override async intercept<TContext extends string = ContextType>(
    interceptors: NestInterceptor[],
    args: unknown[],
    instance: Controller,
    callback: (...args: unknown[]) => unknown,
    next: () => Promise<unknown>,
    type?: TContext,
  ): Promise<unknown> {
    const outcome =
      interceptors.length === 1 &&
      interceptors[0] instanceof CommitAfterSuccessInterceptor &&
      type === KAFKA_CONTEXT_TYPE
        ? getCallOutcome(args[1])
        : undefined;
    if (!outcome) return super.intercept(interceptors, args, instance, callback, next, type);
    const result = await runCommitStep(outcome, async () => {
      const value = await next();
      return value instanceof Observable ? lastValueFrom(value, { defaultValue: undefined }) : value;
    });
    // Nest's caller subscribes to an observable it gets back; the chain would hand this one over unsubscribed.
    return result instanceof Observable ? of(result) : result;
  }
}
