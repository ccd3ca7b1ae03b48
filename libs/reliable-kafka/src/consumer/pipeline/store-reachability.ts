import { DedupStoreUnavailableError } from '../../dedup/dedup-store-unavailable.error';

/**
 * Whether the dedup store answered the last time this handler asked it (a claim, a claim made ahead, a mark).
 * While it does not, no chunk starts on a claim made ahead: each chunk claims for itself, which waits until the
 * store is back. So after the pipeline has seen the store fail, no new handler call starts until it answers
 * again (calls already running finish; their marks wait for the store, and nothing past them is committed).
 */
export class StoreReachability {
  private unreachable = false;

  get down(): boolean {
    return this.unreachable;
  }

  /** Runs a store operation and notes whether the store answered (a refusal of the data is an answer). */
  async observe<T>(operation: Promise<T>): Promise<T> {
    try {
      const result = await operation;
      this.unreachable = false;
      return result;
    } catch (error) {
      this.unreachable = !(error instanceof DedupStoreUnavailableError && error.refused);
      throw error;
    }
  }
}
