import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { defer, lastValueFrom, Observable } from 'rxjs';
import { getSettlement } from '../consumer/kafka-context';
import { isKafkaContext } from '../consumer/is-kafka-context.util';

/**
 * The commit step of every reliable handler (applied by `@ReliableBatchHandler`).
 * It waits for the handler's observable to complete; only then are the batch's ids marked done and, once that
 * landed, its offsets handed to the partition's committer, which commits the contiguous completed prefix (one
 * commit in flight per partition, coalescing later completions; the kafkajs batch does not return before every
 * mark and the last commit are acknowledged). When it is a handler's only interceptor, the reliable runtime
 * takes the same step without Nest's interceptor chain (see CommitStepInterceptorsConsumer). On error nothing past the failed message is committed and the error is rethrown,
 * so the batch is retried.
 */
@Injectable()
export class CommitAfterSuccessInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const settlement = isKafkaContext(context) ? getSettlement(context.getArgByIndex(1)) : undefined;
    if (!settlement) return next.handle();
    return defer(async () => {
      let result: unknown;
      try {
        result = await lastValueFrom(next.handle(), { defaultValue: undefined });
      } catch (error) {
        await settlement.fail(error);
        throw error;
      }
      await settlement.succeed();
      return result;
    });
  }
}
