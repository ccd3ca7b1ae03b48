import type { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { dedupKeysOf } from '../../dedup/dedup-key.util';
import { DedupStoreUnavailableError } from '../../dedup/dedup-store-unavailable.error';
import { isTransactionalDedupStore, type DedupStore } from '../../dedup/dedup-store.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { describeError, logEntry } from '../../logging';
import { RUNTIME_MESSAGES } from '../../reliable-kafka.messages';
import type { HandlerRuntime } from '../handler-runtime.interface';
import { waitControls, type BatchScope } from './batch-scope';
import { ChunkSettlement, type ChunkResult, type CleanupErrorReporter } from './chunk-settlement';
import { ClaimAhead } from './claim-ahead';
import { ClaimUnavailableError } from './claim-unavailable.error';
import { DedupClaims } from './dedup-claims';
import { HandlerCall } from './handler-call';
import type { MessageMapping } from './message-mapper.util';
import type { RunningCalls } from './running-calls';

/**
 * One attempt at one chunk, in the pipeline's order: claim the chunk's ids (one round trip, or from a claim made
 * ahead), call the handler through Nest (HandlerCall), settle (ChunkSettlement: marks, releases, completions to
 * the committer). Returns what came of it, never throws; a store that cannot claim is a `ClaimUnavailableError`
 * result, after which the lane waits and tries again (never skips).
 *
 * Transactional dedup: claims, the handler's writes (through `@TxManager()`) and the dedup rows are one database
 * transaction; the records complete only after it committed.
 */
export class ChunkProcessor {
  private readonly call: HandlerCall;
  private readonly claims: DedupClaims | null;

  constructor(
    private readonly handler: HandlerRuntime,
    private readonly store: DedupStore | null,
    private readonly logger: Logger,
    running: RunningCalls,
  ) {
    this.call = new HandlerCall(handler, running);
    const { dedup, groupId, retry } = handler.options;
    this.claims = dedup === 'on' && store ? new DedupClaims(store, groupId, retry, logger) : null;
  }

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
    const { maxBatchSize, groupId, callTimeoutMs, maxProcessingTimeMs } = this.handler.options;
    const claimTtlMs = this.store?.claimTtlMs;
    if (!this.claims || !this.store || !claimTtlMs || lane.length <= maxBatchSize) return null;
    const callBoundMs = callTimeoutMs > 0 ? callTimeoutMs : maxProcessingTimeMs;
    const source = { lane, topic, partition, mapping, chunkSize: maxBatchSize, claimTtlMs, callBoundMs };
    return new ClaimAhead(source, this.store, groupId, this.claims.reachability);
  }

  process(
    records: readonly KafkaMessage[],
    messages: ReliableMessage[],
    scope: BatchScope,
    ahead: ClaimAhead | null = null,
  ): Promise<ChunkResult> {
    return this.handler.options.dedup === 'transactional'
      ? this.processInTransaction(records, messages, scope)
      : this.processPlain(records, messages, scope, ahead);
  }

  private async processPlain(
    records: readonly KafkaMessage[],
    messages: ReliableMessage[],
    scope: BatchScope,
    ahead: ClaimAhead | null,
  ): Promise<ChunkResult> {
    let handled = messages;
    if (this.claims) {
      try {
        const statuses = (await ahead?.statusesFor(records, messages)) ?? (await this.claims.claim(messages));
        handled = messages.filter((_, i) => statuses[i] === 'claimed');
      } catch (error) {
        return { handled: 0, error };
      }
    }
    const settlement = new ChunkSettlement(
      scope,
      this.claims?.ledger(waitControls(scope), () =>
        scope.telemetry.partitionWaiting(scope.ref, 'dedup-store-unavailable'),
      ) ?? null,
      this.cleanupReporter(scope, records[0]),
    );
    if (handled.length === 0) return settlement.duplicates(records);
    const call = await this.call.invoke(handled, scope);
    return call.ok
      ? settlement.succeeded(records, handled)
      : settlement.failed(records, handled, call.error, call.stillRunning);
  }

  private async processInTransaction(
    records: readonly KafkaMessage[],
    messages: ReliableMessage[],
    scope: BatchScope,
  ): Promise<ChunkResult> {
    const store = this.store;
    if (!store || !isTransactionalDedupStore(store))
      return { handled: 0, error: new Error('transactional dedup needs a transactional store') };
    const { groupId } = this.handler.options;
    let called = false;
    let handledCount = 0;
    try {
      await store.runInTransaction(groupId, dedupKeysOf(messages), async (manager, statuses) => {
        if (statuses.includes('busy')) throw new ClaimUnavailableError(groupId, 'busy');
        const handled = messages.filter((_, i) => statuses[i] === 'claimed');
        handledCount = handled.length;
        if (handled.length === 0) return;
        called = true;
        const call = await this.call.invoke(handled, scope, manager);
        if (!call.ok) throw call.error; // rolls the transaction back: effects and dedup rows alike
      });
    } catch (error) {
      const storeError =
        !called &&
        !(error instanceof ClaimUnavailableError) &&
        !(error instanceof DedupStoreUnavailableError && error.refused);
      return {
        handled: 0,
        error: storeError ? new ClaimUnavailableError(groupId, 'unreachable', error) : error,
      };
    }
    const settlement = new ChunkSettlement(scope, null, this.cleanupReporter(scope, records[0]));
    return settlement.committedInTransaction(records, handledCount);
  }

  private cleanupReporter(scope: BatchScope, first: KafkaMessage): CleanupErrorReporter {
    const { groupId } = this.handler.options;
    return (stage, error) => {
      const reason = describeError(error);
      const fields = { ...scope.ref, offset: first.offset };
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
  }
}
