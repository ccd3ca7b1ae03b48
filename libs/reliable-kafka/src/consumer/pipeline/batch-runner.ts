import type { Logger } from '@nestjs/common';
import { describeError as describe, logEntry } from '../../logging';
import type { EachBatchPayload } from 'kafkajs';
import type { DedupStore } from '../../dedup/dedup-store.interface';
import { RUNTIME_MESSAGES } from '../../reliable-kafka.messages';
import { AttemptCounter } from '../../retry/attempt-counter';
import type { DeadLetterSink } from '../../retry/dead-letter-publisher';
import { CallLimiter } from './call-limiter';
import { waitControls, type BatchScope } from './batch-scope';
import { ChunkProcessor } from './chunk-processor';
import { FailureForwarder } from './failure-forwarder';
import { BatchHeartbeat } from './batch-heartbeat';
import type { HandlerRuntime } from '../handler-runtime.interface';
import { splitIntoLanes } from './key-lanes.util';
import { LaneRunner } from './lane-runner';
import type { MessageMapping } from './message-mapper.util';
import { PartitionCommitter } from './partition-committer';
import { StaleCheck } from './stale-check';
import { MemberGate } from './member-gate';
import { RunningCalls } from './running-calls';
import { NOOP_TELEMETRY, type ReliableKafkaTelemetry } from '../../observability';

/**
 * The kafkajs `eachBatch` of one handler (autoCommit and eachBatchAutoResolve off). Splits each batch (one
 * partition) into lanes by the handler's `ordering` (see `splitIntoLanes`) and runs them through the LaneRunner;
 * lanes of every partition share one CallLimiter, so at most `concurrency` handler calls run at once.
 *
 * Commits are pipelined (see PartitionCommitter) and the batch awaits the last one before it returns. When the
 * batch must stop (shutdown, revoked or stale partition, a heartbeat reporting a rebalance, a failed commit, a
 * lane handing an error back) no new call starts in any lane; calls in flight are awaited; what completed is
 * committed unless the partition went stale; nothing unfinished is committed.
 *
 * Backpressure: kafkajs fetches a broker's partitions again only after every `eachBatch` of the previous fetch
 * returned, so while calls are in flight nothing more is fetched; memory stays bounded by one fetched batch
 * per partition (`maxBytesPerPartition`), whose records wait in their lanes for a slot.
 */
/** What a BatchRunner works with besides its handler. */
export interface BatchRunnerDeps {
  store: DedupStore | null;
  mapping: MessageMapping;
  logger: Logger;
  /** True once the application shuts down: no new chunk starts (a consumer kafkajs restarted late included). */
  isClosed?: () => boolean;
  /** Where dead letters go; null (or `deadLetterTopic: false`) turns dead-lettering off. */
  sink?: DeadLetterSink | null;
  /** Where processed, failed, retried, dead-lettered and commit events are reported (metrics, health). */
  telemetry?: ReliableKafkaTelemetry;
  /** The membership of the kafkajs consumer this runner's batches come from (shared by its batches). */
  gate?: MemberGate;
  /** The application's calls in flight, which shutdown may give up. */
  running?: RunningCalls;
}

export class BatchRunner {
  private readonly lanes: LaneRunner;
  /** Handler calls in flight across all partitions of this handler. */
  readonly limiter: CallLimiter;

  private readonly logger: Logger;
  private readonly isClosed: () => boolean;
  private readonly telemetry: ReliableKafkaTelemetry;
  private readonly gate: MemberGate;

  constructor(
    private readonly handler: HandlerRuntime,
    deps: BatchRunnerDeps,
  ) {
    const { store, mapping, logger, sink } = deps;
    this.logger = logger;
    this.isClosed = deps.isClosed ?? (() => false);
    this.telemetry = deps.telemetry ?? NOOP_TELEMETRY;
    this.gate = deps.gate ?? new MemberGate(Number.POSITIVE_INFINITY);
    const deadLetters =
      sink && handler.options.deadLetterTopic !== false
        ? new FailureForwarder(handler.options, sink, store, mapping, logger)
        : null;
    this.limiter = new CallLimiter(Math.max(1, handler.options.concurrency));
    this.lanes = new LaneRunner({
      handler,
      processor: new ChunkProcessor(handler, store, logger, deps.running ?? new RunningCalls()),
      deadLetters,
      attempts: new AttemptCounter(),
      limiter: this.limiter,
      mapping,
      logger,
    });
  }

  readonly eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    // The member saw a rebalance or lost its membership in another batch of this fetch: start nothing, and hand
    // the error to kafkajs at once, so it rejoins instead of handing over the fetch's other batches.
    if (this.gate.closed) throw this.gate.error;
    const gate = this.gate;
    let heartbeatFailed = false;
    let halted = false;
    const { topic, partition } = payload.batch;
    const { groupId, ordering, maxBatchSize } = this.handler.options;
    const ref = { groupId, topic, partition };
    const telemetry = this.telemetry;
    telemetry.lagObserved(ref, Number(payload.batch.offsetLag()));
    const stale = new StaleCheck(payload);
    const committer = new PartitionCommitter(
      payload,
      stale,
      (seconds, ok) => {
        telemetry.commitObserved(ref, seconds, ok);
        if (ok) gate.confirmed();
      },
      this.handler.options.commitIntervalMs,
    );
    const onHeartbeatError = (error: unknown): void => {
      heartbeatFailed = true;
      gate.failed(error);
      const text = RUNTIME_MESSAGES.heartbeatFailed(groupId, describe(error));
      this.logger.warn(logEntry('heartbeat-failed', text, ref, error));
    };
    const scope: BatchScope = {
      payload,
      ref,
      telemetry,
      committer,
      shouldStop: () =>
        halted ||
        heartbeatFailed ||
        gate.closed ||
        committer.failed ||
        this.isClosed() ||
        !payload.isRunning() ||
        stale.check(),
      onHeartbeatError,
      confirmMembership: async () => {
        // Long without a word from the coordinator (a frozen process, a long GC pause): it may have evicted us.
        if (gate.needsConfirmation()) await payload.heartbeat().catch(onHeartbeatError);
        return !scope.shouldStop();
      },
      callHeartbeat: new BatchHeartbeat(
        () => payload.heartbeat(),
        this.handler.options.heartbeatInterval,
        onHeartbeatError,
      ),
    };
    // From the start, not the first call: claims and waits before it keep the membership too.
    scope.callHeartbeat.ensureRunning();
    const all = payload.batch.messages;
    // Every offset is begun up front in log order: lanes complete them in any order, and the commit point is
    // still the end of the contiguous completed prefix.
    committer.begin(all);
    const controls = waitControls(scope); // one object per batch: the limiter heartbeats it once per tick
    let failure: { error: unknown } | null = null;
    const runs: Promise<void>[] = [];
    try {
      // Lanes start lazily, one after the previous got past the limiter's queue (holds a slot, backs off, ended):
      // with thousands of keys only the lanes that can run soon exist and map their records, and a key that
      // backs off holds no slot and no start, so it never holds the other keys up.
      for (const lane of splitIntoLanes(all, ordering, maxBatchSize)) {
        if (scope.shouldStop()) break;
        let queued: () => void = () => undefined;
        const pastQueue = new Promise<void>((resolve) => (queued = resolve));
        const run = this.lanes.run(lane, scope, controls, queued).catch((error: unknown) => {
          failure ??= { error };
          halted = true; // the other lanes start nothing new; their calls in flight finish and complete
        });
        runs.push(run);
        await pastQueue; // the lane calls it at the latest when it ends (LaneRunner.run's finally)
      }
      await Promise.all(runs);
    } finally {
      scope.callHeartbeat.stop();
    }
    try {
      await committer.flush();
    } catch (commitError) {
      // A failed commit (rebalance) is what kafkajs must see: it rejoins and refetches from the committed offset.
      gate.failed(commitError);
      failure = { error: commitError };
    }
    if (failure) throw failure.error;
    if (gate.closed) throw gate.error;
  };
}
