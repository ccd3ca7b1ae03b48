import type { EachBatchPayload } from 'kafkajs';
import type { PartitionRef, ReliableKafkaTelemetry } from '../../observability';
import type { WaitControls } from './backoff.util';
import type { BatchHeartbeat } from './batch-heartbeat';
import type { PartitionCommitter } from './partition-committer';

/** Per-batch state the processor works with. */
export interface BatchScope {
  payload: EachBatchPayload;
  committer: PartitionCommitter;
  /** The batch's group, topic and partition, as telemetry labels them. */
  ref: PartitionRef;
  telemetry: ReliableKafkaTelemetry;
  /** True when the batch must stop at the next boundary (stopping, revoked, rebalancing). */
  shouldStop(): boolean;
  /** Called when a background heartbeat fails: the batch then stops at the next boundary. */
  onHeartbeatError(error: unknown): void;
  /**
   * Before a call starts: confirms the membership with a heartbeat when the coordinator has not confirmed it for
   * long; false when the batch must stop (then no call starts).
   */
  confirmMembership(): Promise<boolean>;
  /** The background heartbeat of the batch's handler calls (one timer for all of them). */
  callHeartbeat: BatchHeartbeat;
}

/** How waits inside a batch (backoff, store or dead-letter retries) heartbeat and learn to stop. */
export function waitControls(scope: BatchScope): WaitControls {
  return {
    heartbeat: () => scope.payload.heartbeat(),
    shouldStop: scope.shouldStop,
    onHeartbeatError: scope.onHeartbeatError,
  };
}
