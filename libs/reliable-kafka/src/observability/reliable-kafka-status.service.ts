import { Inject, Injectable } from '@nestjs/common';
import { ReliableKafkaExplorer } from '../consumer/reliable-kafka.explorer';
import { retryStageGroupId } from '../retry/retry-stage-consumer.util';
import { ConsumerStateTracker, type ConsumerState } from './consumer-state.tracker';
import { InFlightCallTracker, type StuckCall } from './in-flight-calls.tracker';
import { PartitionProgressTracker, type StalledPartition } from './partition-progress.tracker';
import { NOOP_TELEMETRY, type PartitionRef, type ReliableKafkaTelemetry } from './telemetry.interface';

/**
 * What the health indicator reads: the state of each handler's consumer and the handler calls in flight. Fed by
 * its `telemetry`, one of the sinks of the module's RELIABLE_KAFKA_TELEMETRY.
 */
@Injectable()
export class ReliableKafkaStatus {
  private readonly consumerStates = new ConsumerStateTracker();
  private readonly calls = new InFlightCallTracker();
  private readonly progress = new PartitionProgressTracker();

  /** The events this status is built from; the others are left to the metrics. */
  readonly telemetry: ReliableKafkaTelemetry = {
    ...NOOP_TELEMETRY,
    consumerCreated: (handler, groupId, consumer) => {
      this.consumerStates.track(handler, groupId, consumer);
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        this.progress.keepOnly(groupId, payload.memberAssignment),
      );
    },
    handlerCallStarted: (ref, handler, size) => {
      const end = this.calls.start(ref, handler, size);
      return () => end();
    },
    messagesProcessed: (ref) => this.progress.progressed(ref),
    messagesDeduplicated: (ref) => this.progress.progressed(ref),
    messageDeadLettered: (ref) => this.progress.progressed(ref),
    messageRetried: (ref) => this.progress.progressed(ref),
    commitObserved: (ref, _seconds, ok) => ok && this.progress.progressed(ref),
    lagObserved: (ref, lag) => this.progress.lagged(ref, lag),
    partitionWaiting: (ref, reason) => this.progress.waiting(ref, reason),
  };

  constructor(@Inject(ReliableKafkaExplorer) private readonly explorer: ReliableKafkaExplorer) {}

  /** Every handler's consumer, in start order. */
  consumers(): ConsumerState[] {
    return this.consumerStates.snapshot();
  }

  /** Handler calls open longer than their handler's `maxProcessingTimeMs`, longest first. */
  stuckCalls(): StuckCall[] {
    // Limits are looked up by name, not passed with each call: the telemetry seam stays free of health concerns.
    const limits = new Map(this.explorer.getHandlers().map((h) => [h.name, h.options.maxProcessingTimeMs]));
    return this.calls.stuck((handler) => limits.get(handler));
  }

  /**
   * Partitions with work that have not moved for longer than their handler's `stallAfterMs` (a partition with a
   * call running is judged by `stuckCalls` instead).
   */
  stalledPartitions(): StalledPartition[] {
    const bounds = new Map(
      this.explorer
        .getHandlers()
        .flatMap((h) =>
          [h.options.groupId, retryStageGroupId(h.options.groupId)].map((g) => [g, h.options.stallAfterMs]),
        ),
    );
    return this.progress.stalled(
      (groupId) => bounds.get(groupId),
      (ref) => this.calls.running(ref),
    );
  }

  /** Seconds since each partition last moved (the metric). */
  secondsSinceProgress(): Array<{ ref: PartitionRef; seconds: number }> {
    return this.progress.secondsSinceProgress();
  }
}
