import type { Logger } from '@nestjs/common';
import { dedupKeysOf } from '../../dedup/dedup-key.util';
import { DedupStoreUnavailableError } from '../../dedup/dedup-store-unavailable.error';
import type { ClaimStatus, DedupStore } from '../../dedup/dedup-store.interface';
import type { RetryPolicy } from '../../interfaces/batch-handler-options.interface';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { RUNTIME_MESSAGES } from '../../reliable-kafka.messages';
import type { WaitControls } from './backoff.util';
import { retryUntilStored } from './retry-until-stored.util';
import type { ClaimLedger } from './chunk-settlement';
import { describeError, logEntry } from '../../logging';
import { ClaimUnavailableError } from './claim-unavailable.error';
import { StoreReachability } from './store-reachability';

/** A handler's side of the dedup protocol: claim a chunk in one round trip, then mark done or release. */
export class DedupClaims {
  /** Shared with this handler's claims made ahead: none is used while the store does not answer. */
  readonly reachability = new StoreReachability();

  constructor(
    private readonly store: DedupStore,
    private readonly groupId: string,
    private readonly retry: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  /**
   * Claims every id of the chunk. Throws ClaimUnavailableError when the store cannot answer, or when another
   * live consumer holds an id (our own claims are released first): the caller waits, it never skips.
   */
  async claim(messages: readonly ReliableMessage[]): Promise<ClaimStatus[]> {
    const keys = dedupKeysOf(messages);
    let statuses: ClaimStatus[];
    try {
      statuses = await this.reachability.observe(this.store.claim(this.groupId, keys));
    } catch (error) {
      // A refusal fails the records (it would refuse again); anything else is waited out.
      if (error instanceof DedupStoreUnavailableError && error.refused) throw error;
      throw new ClaimUnavailableError(this.groupId, 'unreachable', error);
    }
    if (statuses.includes('busy')) {
      const mine = keys.filter((_, i) => statuses[i] === 'claimed');
      if (mine.length) await this.store.release(this.groupId, mine).catch(() => undefined);
      throw new ClaimUnavailableError(this.groupId, 'busy');
    }
    return statuses;
  }

  /**
   * What a settlement may do with the claims. A successful handler's ids must be marked done before the commit,
   * so `markDone` waits for the store rather than skip it, and rejects only when the batch stops first.
   */
  ledger(controls: WaitControls, onWait: () => void = () => undefined): ClaimLedger {
    const onFailure = (error: unknown, delay: number): void => {
      onWait();
      const text = RUNTIME_MESSAGES.dedupWaiting(this.groupId, 'marking done', describeError(error), delay);
      this.logger.warn(logEntry('dedup-waiting', text, { groupId: this.groupId }, error));
    };
    return {
      markDone: async (ids) => {
        const mark = (): Promise<void> => this.reachability.observe(this.store.markDone(this.groupId, ids));
        const marked = await retryUntilStored(mark, {
          retry: this.retry,
          controls,
          onFailure,
        });
        if (!marked) throw new ClaimUnavailableError(this.groupId, 'unreachable');
      },
      release: (ids) => (ids.length ? this.store.release(this.groupId, ids) : Promise.resolve()),
    };
  }
}
