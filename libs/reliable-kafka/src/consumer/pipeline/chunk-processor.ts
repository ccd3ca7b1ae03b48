import type { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { isTransactionalDedupStore, type ClaimStatus, type DedupStore } from '../../dedup/dedup-store.interface';
import { BatchNotAcknowledgedError } from '../../errors/batch-not-acknowledged.error';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { RUNTIME_MESSAGES } from '../../reliable-kafka.messages';
import { ClaimAhead } from './claim-ahead';
import { ChunkSettlement, type ClaimLedger } from './chunk-settlement';
import { DedupClaims } from './dedup-claims';
import { ClaimUnavailableError } from './claim-unavailable.error';
import type { HandlerRuntime } from '../handler-runtime.interface';
import { attachSettlement, KafkaContext } from '../kafka-context';
import { waitControls, type BatchScope } from './batch-scope';
import type { MessageMapping } from './message-mapper.util';
import { describeError, logEntry } from '../../logging';

/** Filled in by an attempt: how many leading records of the chunk it completed, even when it failed. */
export interface AttemptResult {
  committedRecords: number;
  /** Offset of the message the handler said failed (a `BatchFailedError`), null when it said none. */
  failedOffset: string | null;
}

/**
 * One attempt at one chunk: claim ids (one round trip), call the handler through Nest, and let the commit step
 * (CommitAfterSuccessInterceptor -> ChunkSettlement) complete and commit. Fills in how many leading records completed;
 * throws when the attempt failed (after releasing claims), ClaimUnavailableError when the store was the problem.
 */
export class ChunkProcessor {
  constructor(
    private readonly handler: HandlerRuntime,
    private readonly store: DedupStore | null,
    private readonly logger: Logger,
  ) {}

  /**
   * A claim-ahead for a lane of several chunks with plain (non-transactional) dedup on and a store that tells
   * its claim TTL; null otherwise (one chunk claims in one round trip anyway; transactional dedup claims inside
   * each chunk's transaction).
   */
  claimAhead(
    lane: readonly KafkaMessage[],
    topic: string,
    partition: number,
    mapping: MessageMapping,
  ): ClaimAhead | null {
    const { dedup, maxBatchSize, groupId } = this.handler.options;
    const claimTtlMs = this.store?.claimTtlMs;
    if (dedup !== 'on' || !this.store || !claimTtlMs || lane.length <= maxBatchSize) return null;
    const source = { lane, topic, partition, mapping, chunkSize: maxBatchSize, claimTtlMs };
    return new ClaimAhead(source, this.store, groupId);
  }

  async process(
    records: readonly KafkaMessage[],
    messages: ReliableMessage[],
    scope: BatchScope,
    result: AttemptResult,
    ahead: ClaimAhead | null = null,
  ): Promise<void> {
    // The batch began every offset up front; a record that fails stays unfinished, so nothing passes it.
    if (this.handler.options.dedup === 'transactional')
      await this.processInTransaction(records, messages, scope);
    else await this.processPlain(records, messages, scope, result, ahead);
  }

  private async processPlain(
    records: readonly KafkaMessage[],
    messages: ReliableMessage[],
    scope: BatchScope,
    result: AttemptResult,
    ahead: ClaimAhead | null,
  ): Promise<void> {
    const { groupId, retry } = this.handler.options;
    const claims =
      this.handler.options.dedup === 'on' && this.store
        ? new DedupClaims(this.store, groupId, retry, this.logger)
        : null;
    const statuses: ClaimStatus[] | null = claims
      ? ((await ahead?.statusesFor(records, messages)) ?? (await claims.claim(messages)))
      : null;
    const handled = statuses ? messages.filter((_, i) => statuses[i] === 'claimed') : messages;
    const ledger = claims?.ledger(waitControls(scope)) ?? null;
    if (handled.length === 0) {
      // Every message is a duplicate of one already processed: nothing to run, safe to commit.
      scope.committer.complete(records);
      scope.committer.requestCommit();
      reportCompleted(scope, records.length, 0);
      return;
    }
    const settlement = this.settlement(records, handled, scope, ledger, false);
    try {
      await this.invoke(handled, settlement, scope, undefined, records[0]);
    } finally {
      // Completed records are reported by the settlement, when they complete (with dedup: once marked done).
      result.committedRecords = settlement.committedRecords;
      result.failedOffset = settlement.failedOffset;
    }
  }

  private async processInTransaction(
    records: readonly KafkaMessage[],
    messages: ReliableMessage[],
    scope: BatchScope,
  ) {
    const store = this.store;
    if (!store || !isTransactionalDedupStore(store))
      throw new Error('transactional dedup needs a transactional store');
    const { groupId } = this.handler.options;
    let invoked = false;
    let handledCount = 0;
    try {
      await store.runInTransaction(
        groupId,
        messages.map((m) => m.id),
        async (manager, statuses) => {
          if (statuses.includes('busy')) throw new ClaimUnavailableError(groupId, 'busy');
          const handled = messages.filter((_, i) => statuses[i] === 'claimed');
          handledCount = handled.length;
          if (handled.length === 0) return;
          invoked = true;
          const settlement = this.settlement(records, handled, scope, null, true);
          await this.invoke(handled, settlement, scope, manager, records[0]);
        },
      );
    } catch (error) {
      if (invoked || error instanceof ClaimUnavailableError) throw error;
      throw new ClaimUnavailableError(groupId, 'unreachable', error);
    }
    // The handler's writes and the dedup rows are committed; only now may the offsets move.
    scope.committer.complete(records);
    scope.committer.requestCommit();
    reportCompleted(scope, records.length, handledCount);
  }

  private settlement(
    records: readonly KafkaMessage[],
    handled: ReliableMessage[],
    scope: BatchScope,
    ledger: ClaimLedger | null,
    deferCommit: boolean,
  ): ChunkSettlement {
    const { groupId } = this.handler.options;
    const offset = records[0].offset;
    const onCleanupError = (stage: 'release' | 'prefix', error: unknown): void => {
      const reason = describeError(error);
      const fields = { ...scope.ref, offset };
      this.logger.warn(
        stage === 'release'
          ? logEntry('release-failed', RUNTIME_MESSAGES.releaseFailed(groupId, reason), fields, error)
          : logEntry(
              'prefix-commit-failed',
              RUNTIME_MESSAGES.prefixCommitFailed(groupId, reason),
              fields,
              error,
            ),
      );
    };
    return new ChunkSettlement(
      records,
      handled,
      scope.committer,
      ledger,
      deferCommit,
      onCleanupError,
      (r, h) => reportCompleted(scope, r, h),
    );
  }

  private async invoke(
    handled: ReliableMessage[],
    settlement: ChunkSettlement,
    scope: BatchScope,
    manager: KafkaContext['txManager'],
    first: KafkaMessage,
  ): Promise<void> {
    const { payload } = scope;
    const { topic, partition } = payload.batch;
    const { groupId } = this.handler.options;
    const context = new KafkaContext(topic, partition, groupId, payload, manager);
    attachSettlement(context, settlement);
    scope.callHeartbeat.ensureRunning();
    const ended = scope.telemetry.handlerCallStarted(scope.ref, this.handler.name, handled.length);
    try {
      await this.handler.invoke(handled, context);
    } catch (error) {
      ended('failure');
      // A guard or an outer interceptor may have thrown before the commit step ran: release claims anyway.
      await settlement.fail(error);
      throw error;
    }
    ended(settlement.outcome === 'succeeded' ? 'success' : 'failure');
    if (settlement.outcome !== 'succeeded') {
      const error = new BatchNotAcknowledgedError(groupId, topic, partition, first.offset);
      await settlement.fail(error);
      throw error;
    }
  }
}

/**
 * Counts records once, when they are completed: the ones the handler ran as processed, the ones the store knew as
 * done as deduplicated. A failed attempt reports only its committed prefix, so a retried chunk is not counted twice.
 */
function reportCompleted(scope: BatchScope, completedRecords: number, handled: number): void {
  if (handled > 0) scope.telemetry.messagesProcessed(scope.ref, handled);
  if (completedRecords > handled) scope.telemetry.messagesDeduplicated(scope.ref, completedRecords - handled);
}
