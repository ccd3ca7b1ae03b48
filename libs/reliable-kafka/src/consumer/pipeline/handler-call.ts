import type { EntityManager } from 'typeorm';
import { BatchNotAcknowledgedError } from '../../errors/batch-not-acknowledged.error';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import type { HandlerRuntime } from '../handler-runtime.interface';
import { attachCallOutcome, KafkaContext } from '../kafka-context';
import type { BatchScope } from './batch-scope';
import { CallOutcome } from './call-outcome';

/** How one handler call ended: it succeeded (the commit step saw success and the chain returned), or why not. */
export type CallResult = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/**
 * Calls the handler with `messages` through Nest's enhancer chain (guards, interceptors, pipes, filters; context
 * type 'kafka'), with the batch's background heartbeat running and the call reported to telemetry. Never throws.
 *
 * A call counts as a success only when the commit step recorded the handler's success AND the chain returned
 * normally: an exception filter that swallows the handler's error, a guard that refused (the commit step never
 * ran), or an outer interceptor that failed afterwards all make it a failure, so nothing of it is committed.
 */
export class HandlerCall {
  constructor(private readonly handler: HandlerRuntime) {}

  async invoke(
    messages: ReliableMessage[],
    scope: BatchScope,
    txManager?: EntityManager,
  ): Promise<CallResult> {
    const { topic, partition } = scope.payload.batch;
    const context = new KafkaContext(topic, partition, scope.ref.groupId, scope.payload, txManager);
    const outcome = new CallOutcome();
    attachCallOutcome(context, outcome);
    scope.callHeartbeat.ensureRunning();
    const ended = scope.telemetry.handlerCallStarted(scope.ref, this.handler.name, messages.length);
    let result: CallResult;
    try {
      await this.handler.invoke(messages, context);
      result =
        outcome.state === 'succeeded'
          ? { ok: true }
          : { ok: false, error: this.notAcknowledged(messages, scope, outcome) };
    } catch (error) {
      result = { ok: false, error };
    }
    ended(result.ok ? 'success' : 'failure');
    return result;
  }

  private notAcknowledged(
    messages: ReliableMessage[],
    scope: BatchScope,
    outcome: CallOutcome,
  ): BatchNotAcknowledgedError {
    const { topic, partition } = scope.payload.batch;
    const cause = outcome.state === 'failed' ? outcome.error : undefined;
    return new BatchNotAcknowledgedError(scope.ref.groupId, topic, partition, messages[0].offset, cause);
  }
}
