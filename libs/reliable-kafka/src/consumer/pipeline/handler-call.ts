import type { EntityManager } from 'typeorm';
import { BatchNotAcknowledgedError } from '../../errors/batch-not-acknowledged.error';
import { HandlerCallAbortedError } from '../../errors/handler-call-aborted.error';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import type { HandlerRuntime } from '../handler-runtime.interface';
import { attachCallOutcome, KafkaContext } from '../kafka-context';
import type { BatchScope } from './batch-scope';
import { CallOutcome } from './call-outcome';
import type { RunningCalls } from './running-calls';

/**
 * How one handler call ended: it succeeded (the commit step saw success and the chain returned), or why not. A
 * call that was given up (timeout, shutdown) may still be running: `stillRunning` settles with what it finally did.
 */
export type CallResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: unknown; readonly stillRunning?: Promise<CallResult> };

/**
 * Calls the handler with `messages` through Nest's enhancer chain (guards, interceptors, pipes, filters; context
 * type 'kafka'), with the batch's background heartbeat running and the call reported to telemetry. Never throws.
 *
 * A call counts as a success only when the commit step recorded the handler's success AND the chain returned
 * normally: an exception filter that swallows the handler's error, a guard that refused (the commit step never
 * ran), or an outer interceptor that failed afterwards all make it a failure, so nothing of it is committed.
 *
 * A call is given up, as a failure, after `callTimeoutMs` or when shutdown abandons the calls in flight: its
 * `ctx.signal` is aborted with a HandlerCallAbortedError, and whatever its promise does later is ignored.
 */
export class HandlerCall {
  constructor(
    private readonly handler: HandlerRuntime,
    private readonly running: RunningCalls,
  ) {}

  async invoke(
    messages: ReliableMessage[],
    scope: BatchScope,
    txManager?: EntityManager,
  ): Promise<CallResult> {
    const { topic, partition } = scope.payload.batch;
    const controller = new AbortController();
    const context = new KafkaContext(
      topic,
      partition,
      scope.ref.groupId,
      scope.payload,
      txManager,
      controller.signal,
    );
    const outcome = new CallOutcome();
    attachCallOutcome(context, outcome);
    const started = Date.now();
    const giveUp = (reason: HandlerCallAbortedError['reason']): void =>
      controller.abort(
        new HandlerCallAbortedError(
          reason,
          scope.ref.groupId,
          topic,
          partition,
          messages[0].offset,
          Date.now() - started,
        ),
      );
    const given = new Promise<{ ok: false; error: unknown }>((resolve) =>
      controller.signal.addEventListener(
        'abort',
        () => resolve({ ok: false, error: controller.signal.reason }),
        {
          once: true,
        },
      ),
    );
    const { callTimeoutMs } = this.handler.options;
    const timer = callTimeoutMs > 0 ? setTimeout(() => giveUp('call-timeout'), callTimeoutMs) : undefined;
    const deregister = this.running.add(() => giveUp('shutdown'));
    const ended = scope.telemetry.handlerCallStarted(scope.ref, this.handler.name, messages.length);
    try {
      const call = this.run(messages, context, outcome, scope);
      const result = await Promise.race([
        call,
        // Given up while the handler still runs: whoever holds its claims must learn when it really ends.
        given.then((abandoned): CallResult => ({ ...abandoned, stillRunning: call })),
      ]);
      // A call given up but still running stays reported as running (health shows it stuck) until it really ends.
      if (!result.ok && result.stillRunning) void call.then(() => ended('failure'));
      else ended(result.ok ? 'success' : 'failure');
      return result;
    } finally {
      clearTimeout(timer);
      deregister();
    }
  }

  private async run(
    messages: ReliableMessage[],
    context: KafkaContext,
    outcome: CallOutcome,
    scope: BatchScope,
  ): Promise<CallResult> {
    try {
      await this.handler.invoke(messages, context);
    } catch (error) {
      return { ok: false, error };
    }
    if (outcome.state === 'succeeded') return { ok: true };
    const { topic, partition } = scope.payload.batch;
    const cause = outcome.state === 'failed' ? outcome.error : undefined;
    const error = new BatchNotAcknowledgedError(
      scope.ref.groupId,
      topic,
      partition,
      messages[0].offset,
      cause,
    );
    return { ok: false, error };
  }
}
