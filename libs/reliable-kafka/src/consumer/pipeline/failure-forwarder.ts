import type { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import type { DedupStore } from '../../dedup/dedup-store.interface';
import type { ResolvedHandlerOptions } from '../../interfaces/batch-handler-options.interface';
import { RUNTIME_MESSAGES, where } from '../../reliable-kafka.messages';
import type { DeadLetterSink } from '../../retry/dead-letter-publisher';
import { routeFailure, type RetryRoute } from '../../retry/retry-route.util';
import { deadLetterHeaders } from '../../retry/dead-letter-headers.util';
import { DeliveryError } from '../../errors/delivery.error';
import { RecordTooLargeError } from '../../errors/record-too-large.error';
import type { IHeaders } from 'kafkajs';
import { retryUntilStored } from './retry-until-stored.util';
import { dedupKey } from '../../dedup/dedup-key.util';
import { waitControls, type BatchScope } from './batch-scope';
import { keepHeartbeating } from './batch-heartbeat';
import type { MessageMapping } from './message-mapper.util';
import { recordIdOrPosition } from './record-id';
import { recordLogFields } from './record-log-fields.util';
import { describeError as describe, logEntry, type LogFields } from '../../logging';

/**
 * Moves one record that used up its attempts out of the way: publishes it to where `routeFailure` says (the
 * next retry stage with retry topics on, else the dead-letter topic) and waits for the broker's ack (retrying,
 * with heartbeats, for as long as it takes), and only then commits past it. A dead letter's dedup id is marked
 * done first (so a redelivery does not run it again); a record forwarded to a retry stage is NOT marked done:
 * the failed attempt already released its claim, and the stage consumer must be able to claim it. Never commits
 * past a record whose copy was not acknowledged.
 */
export class FailureForwarder {
  constructor(
    private readonly options: ResolvedHandlerOptions,
    private readonly sink: DeadLetterSink,
    private readonly store: DedupStore | null,
    private readonly mapping: MessageMapping,
    private readonly logger: Logger,
  ) {}

  /** Returns false when the batch had to stop first: then nothing was committed past `record`. */
  async forward(record: KafkaMessage, error: unknown, attempts: number, scope: BatchScope): Promise<boolean> {
    const { topic, partition } = scope.payload.batch;
    const { groupId } = this.options;
    const id = recordIdOrPosition(topic, partition, record, this.mapping);
    const route = routeFailure(
      this.options,
      {
        topic,
        partition,
        record,
        error,
        attempts,
        messageId: id.bytes,
        messageIdHeader: this.mapping.messageIdHeader,
      },
      Date.now(),
    );
    const position = where(topic, partition, record.offset);
    const fields = recordLogFields(scope.ref, record, this.mapping);
    const published = await this.publish(route, scope, fields, position);
    if (!published) return false;
    if (route.kind === 'dead-letter' && this.store && this.options.dedup !== 'off') {
      const store = this.store;
      const marked = await retryUntilStored(() => store.markDone(groupId, [dedupKey(id.bytes)]), {
        retry: this.options.retry,
        controls: waitControls(scope),
        onFailure: (error, delay) => {
          const text = RUNTIME_MESSAGES.dedupWaiting(
            groupId,
            `dead-lettering ${position}`,
            describe(error),
            delay,
          );
          this.logger.warn(logEntry('dedup-waiting', text, fields, error));
        },
      });
      if (!marked) return false;
    }
    scope.committer.complete([record]); // pipelined: the batch awaits its commit before returning
    const target = route.topic;
    if (route.kind === 'retry') {
      scope.telemetry.messageRetried(scope.ref);
      const text = RUNTIME_MESSAGES.forwardedToRetry(
        groupId,
        position,
        target,
        route.attempts,
        describe(error),
      );
      this.logger.warn(logEntry('retry-forwarded', text, fields, error));
      return true;
    }
    scope.telemetry.messageDeadLettered(scope.ref, target);
    const text = RUNTIME_MESSAGES.deadLettered(groupId, position, target, route.attempts, describe(error));
    this.logger.warn(logEntry('dead-lettered', text, fields, error));
    return true;
  }

  /**
   * Publishes the copy until the broker acknowledges it (never skipped). A dead letter its topic refuses as too
   * large is sent again with its failure headers cut down (no stack, a short message); if even that is too large
   * the partition waits here, retried at the backoff's pace, with one error naming the fix and health reporting
   * the wait (`dead-letter-too-large`).
   */
  private publish(
    route: RetryRoute,
    scope: BatchScope,
    fields: LogFields,
    position: string,
  ): Promise<boolean> {
    const { groupId } = this.options;
    const target = route.topic;
    let compact = false;
    let tooLargeReported = false;
    const headers = (): IHeaders | undefined =>
      route.kind === 'retry' ? route.headers : deadLetterHeaders(route.origin, compact);
    // the publisher retries on its own and tells of each failed attempt; when it gives up, the publish starts
    // again after a backoff
    const onAttemptFailed = (cause: unknown, delay: number): void => {
      scope.telemetry.partitionWaiting(scope.ref, 'dead-letter-failing');
      const reason = describe(cause);
      const [event, text] =
        route.kind === 'retry'
          ? ['retry-publish-waiting', RUNTIME_MESSAGES.retryWaiting(groupId, position, target, reason, delay)]
          : [
              'dead-letter-waiting',
              RUNTIME_MESSAGES.deadLetterWaiting(groupId, position, target, reason, delay),
            ];
      this.logger.warn(logEntry(event, text, fields, cause));
    };
    const onFailure = (cause: unknown, delay: number): void => {
      if (!isTooLarge(cause)) return onAttemptFailed(cause, delay);
      if (route.kind === 'dead-letter' && !compact) {
        compact = true;
        return;
      }
      scope.telemetry.partitionWaiting(scope.ref, 'dead-letter-too-large');
      if (tooLargeReported) return;
      tooLargeReported = true;
      this.logger.error(
        logEntry(
          'dead-letter-too-large',
          RUNTIME_MESSAGES.deadLetterTooLarge(groupId, position, target),
          fields,
          cause,
        ),
      );
    };
    return retryUntilStored(
      () =>
        this.withHeartbeat(scope, () => this.sink.publish(target, route.origin, headers(), onAttemptFailed)),
      { retry: this.options.retry, controls: waitControls(scope), onFailure },
    );
  }

  private async withHeartbeat(scope: BatchScope, work: () => Promise<void>): Promise<void> {
    const stop = keepHeartbeating(
      () => scope.payload.heartbeat(),
      this.options.heartbeatInterval,
      scope.onHeartbeatError,
    );
    try {
      await work();
    } finally {
      stop();
    }
  }
}

/** The broker refused the copy for its size (DeliveryError whose cause is a RecordTooLargeError). */
function isTooLarge(error: unknown): boolean {
  return error instanceof DeliveryError && error.cause instanceof RecordTooLargeError;
}
