import type { NestInterceptor } from '@nestjs/common';
import type { ContextType, Controller } from '@nestjs/common/interfaces';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { lastValueFrom, Observable, of } from 'rxjs';
import { getSettlement } from '../consumer/kafka-context';
import { KAFKA_CONTEXT_TYPE } from '../reliable-kafka.constants';
import { CommitAfterSuccessInterceptor } from './commit-after-success.interceptor';

/**
 * Nest's interceptor chain, with a shortcut for the common case where the commit step is a reliable handler's
 * only interceptor. Nest's chain costs two `AsyncResource.bind` (each also builds deprecated accessors) and a
 * few rxjs subscriptions per interceptor per call, a large share of a one-message call. The shortcut does what
 * `CommitAfterSuccessInterceptor` does, in the same place (inside guards and filters, around pipes and the
 * method): wait for the method's result (an observable's last value), then `succeed()`; on error `fail()` and
 * rethrow. With any other interceptor (global, class or method) the full chain runs, as before.
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
    const settlement =
      interceptors.length === 1 &&
      interceptors[0] instanceof CommitAfterSuccessInterceptor &&
      type === KAFKA_CONTEXT_TYPE
        ? getSettlement(args[1])
        : undefined;
    if (!settlement) return super.intercept(interceptors, args, instance, callback, next, type);
    let result: unknown;
    try {
      const value = await next();
      // As Nest's chain does: an observable result is subscribed and its last value (or undefined) is the result.
      result = value instanceof Observable ? await lastValueFrom(value, { defaultValue: undefined }) : value;
    } catch (error) {
      await settlement.fail(error);
      throw error;
    }
    await settlement.succeed();
    // Nest's caller subscribes to an observable it gets back; the chain would hand this one over unsubscribed.
    return result instanceof Observable ? of(result) : result;
  }
}
