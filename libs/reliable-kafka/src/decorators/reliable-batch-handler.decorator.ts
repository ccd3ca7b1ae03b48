import { SetMetadata } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { CommitAfterSuccessInterceptor } from '../interceptors/commit-after-success.interceptor';
import type { ReliableBatchHandlerOptions } from '../interfaces/batch-handler-options.interface';
import { RELIABLE_BATCH_HANDLER_METADATA } from '../reliable-kafka.constants';

/** Stateless, so one instance serves every handler. */
const COMMIT_AFTER_SUCCESS = new CommitAfterSuccessInterceptor();

/**
 * Marks a provider method as a batch handler with its own consumer group. Offsets are committed only after
 * the handler succeeded; a thrown error commits nothing past the failure (see `BatchFailedError`).
 *
 * Without parameter decorators the handler is called with `(messages, context)`.
 *
 * @example
 * @ReliableBatchHandler({ topic: 'orders', groupId: 'billing' })
 * async handle(messages: ReliableMessage<Order>[]) {}
 */
export function ReliableBatchHandler(options: ReliableBatchHandlerOptions): MethodDecorator {
  return (target, key, descriptor) => {
    SetMetadata(RELIABLE_BATCH_HANDLER_METADATA, options)(target, key, descriptor);
    // First in the method's list whatever the decorator order (interceptors declared later are appended), so the
    // commit step wraps the user's method interceptors and commits only when the whole chain succeeded.
    // An instance, not the class: Nest resolves enhancer classes only for class providers, and a handler on a
    // factory or value provider must get its commit step too.
    const method = descriptor.value as object;
    const existing: unknown[] = Reflect.getMetadata(INTERCEPTORS_METADATA, method) ?? [];
    const others = existing.filter(
      (i) => i !== CommitAfterSuccessInterceptor && !(i instanceof CommitAfterSuccessInterceptor),
    );
    Reflect.defineMetadata(INTERCEPTORS_METADATA, [COMMIT_AFTER_SUCCESS, ...others], method);
    return descriptor;
  };
}
