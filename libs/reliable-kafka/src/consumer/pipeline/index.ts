/**
 * The consumer pipeline: the path of one message from kafkajs to its commit, one step a file, in this order.
 *
 *  1. fetch      batch-runner.ts        one kafkajs `eachBatch` (one partition): stop conditions, lanes, the final
 *                                       flush; batch-scope.ts (per-batch state), stale-check.ts, batch-heartbeat.ts
 *  2. lanes      key-lanes.util.ts      the batch split by `ordering` (partition, key, unordered)
 *                lane-runner.ts         a lane's chunks, one call at a time, each holding a slot of
 *                                       call-limiter.ts (`concurrency`); the failure policy (retry, backoff, forward)
 *  3. map        message-mapper.util.ts records to `ReliableMessage`s; record-id.ts, the one id rule
 *  4. claim      chunk-processor.ts     one attempt at a chunk, steps 4 to 6 in order; dedup-claims.ts and
 *                                       claim-ahead.ts (one store round trip per chunk, or per window of chunks)
 *  5. handler    handler-call.ts        the handler through Nest's enhancer chain; call-outcome.ts is the commit
 *                                       step inside it, which only records whether the handler succeeded
 *  6. settle     chunk-settlement.ts    dedup marks and releases; reports the records that completed
 *  7. commit     partition-committer.ts the ONE owner of completion and commit: commits the end of the contiguous
 *                                       completed prefix (offset-tracker.ts), never past an unfinished record
 *  8. forward    failure-forwarder.ts   a record out of attempts: to its retry stage or dead-letter topic, acked
 *                                       (retry-until-stored.util.ts), then completed in the committer
 *
 * Waits (backoff.util.ts) heartbeat and end when the batch must stop. The Nest wiring (discovery, the enhancer
 * chain, lifecycle) is in the folder above.
 */
export { BatchRunner } from './batch-runner';
export { MemberGate } from './member-gate';
export { OffsetTracker } from './offset-tracker';
export { RunningCalls } from './running-calls';
