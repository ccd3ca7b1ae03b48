import { Inject, Injectable } from '@nestjs/common';
import { ReliableKafkaExplorer } from '../consumer/reliable-kafka.explorer';
import { ConsumerStateTracker, type ConsumerState } from './consumer-state.tracker';
import { InFlightCallTracker, type StuckCall } from './in-flight-calls.tracker';
import { NOOP_TELEMETRY, type ReliableKafkaTelemetry } from './telemetry.interface';

/**
 * What the health indicator reads: the state of each handler's consumer and the handler calls in flight. Fed by
 * its `telemetry`, one of the sinks of the module's RELIABLE_KAFKA_TELEMETRY.
 */
@Injectable()
export class ReliableKafkaStatus {
  private readonly consumerStates = new ConsumerStateTracker();
  private readonly calls = new InFlightCallTracker();

  /** The events this status is built from; the others are left to the metrics. */
  readonly telemetry: ReliableKafkaTelemetry = {
    ...NOOP_TELEMETRY,
    consumerCreated: (handler, groupId, consumer) => this.consumerStates.track(handler, groupId, consumer),
    handlerCallStarted: (ref, handler, size) => {
      const end = this.calls.start(ref, handler, size);
      return () => end();
    },
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
}
