import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { defer, lastValueFrom, Observable } from 'rxjs';
import { getCallOutcome } from '../consumer/kafka-context';
import { isKafkaContext } from '../consumer/is-kafka-context.util';
import { runCommitStep } from '../consumer/pipeline/call-outcome';

/**
 * The commit step of every reliable handler (applied by `@ReliableBatchHandler`): it waits for the handler's
 * observable to complete and records whether it succeeded, before any outer interceptor or exception filter can
 * change the result. The pipeline completes and commits the call's records only when it recorded success and the
 * whole chain returned normally; an error is rethrown, so the records are retried. When it is a handler's only
 * interceptor, the reliable runtime takes the same step without Nest's interceptor chain
 * (see CommitStepInterceptorsConsumer).
 */
@Injectable()
export class CommitAfterSuccessInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const outcome = isKafkaContext(context) ? getCallOutcome(context.getArgByIndex(1)) : undefined;
    if (!outcome) return next.handle();
    return defer(() =>
      runCommitStep(outcome, () => lastValueFrom(next.handle(), { defaultValue: undefined })),
    );
  }
}
