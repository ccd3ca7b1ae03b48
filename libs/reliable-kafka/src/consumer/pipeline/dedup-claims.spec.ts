import { waitControls } from './batch-scope';
import {
  FakeDedupStore,
  messagesOf,
  record,
  recordingLogger,
  recordingScope,
  settleWithTimers,
  useFakeTimersEach,
  withoutJitter,
} from './batch-runner.fixtures';
import { ClaimUnavailableError } from './claim-unavailable.error';
import { DedupClaims } from './dedup-claims';

const messages = messagesOf(['a', 'b', 'c'].map((id, i) => record(i, String(i), id)));

/** DedupClaims over a FakeDedupStore, and a ledger whose waits heartbeat and stop through a recording scope. */
function harness() {
  const store = new FakeDedupStore();
  const log = recordingLogger();
  const retry = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 100, nonRetryable: [] };
  const claims = new DedupClaims(store, 'g', retry, log.logger);
  const batch = recordingScope();
  return { store, log, claims, ledger: claims.ledger(waitControls(batch.scope)), ...batch };
}

describe('DedupClaims', () => {
  describe('claim', () => {
    it('claims every id of the chunk in one call and returns the statuses in order', async () => {
      const h = harness();
      h.store.answer = () => ['claimed', 'done', 'claimed'];
      expect(await h.claims.claim(messages)).toEqual(['claimed', 'done', 'claimed']);
      expect(h.store.log).toEqual(['claim a,b,c']);
    });

    it('turns a store error into ClaimUnavailableError (unreachable) carrying the cause', async () => {
      const h = harness();
      h.store.failures.claim = 1;
      const claiming = h.claims.claim(messages);
      await expect(claiming).rejects.toBeInstanceOf(ClaimUnavailableError);
      await expect(claiming).rejects.toMatchObject({
        reason: 'unreachable',
        cause: { message: 'claim: ECONNREFUSED' },
      });
    });

    it('on a busy id, releases our own claims (not the done or busy ids) and throws ClaimUnavailableError (busy)', async () => {
      const h = harness();
      h.store.answer = () => ['claimed', 'busy', 'done'];
      await expect(h.claims.claim(messages)).rejects.toMatchObject({
        name: 'ClaimUnavailableError',
        reason: 'busy',
      });
      expect(h.store.log).toEqual(['claim a,b,c', 'release a']);
    });

    it('throws busy also when that release fails, and makes no release call when none of the claims is ours', async () => {
      const h = harness();
      h.store.failures.release = 1;
      h.store.answer = () => ['claimed', 'busy', 'claimed'];
      await expect(h.claims.claim(messages)).rejects.toMatchObject({ reason: 'busy' });
      h.store.answer = () => ['busy', 'done', 'busy'];
      await expect(h.claims.claim(messages)).rejects.toMatchObject({ reason: 'busy' });
      expect(h.store.log).toEqual(['claim a,b,c', 'release a,c', 'claim a,b,c']);
    });
  });

  describe('ledger', () => {
    useFakeTimersEach();

    it('marks done in one call when the store takes it', async () => {
      const h = harness();
      await h.ledger.markDone(['a', 'b']);
      expect(h.store.log).toEqual(['markDone a,b']);
      expect(h.log.entries).toEqual([]);
    });

    it('retries markDone with backoff and heartbeats until it lands, logging dedup-waiting for each failure', async () => {
      withoutJitter(); // the backoff is exactly 100 ms
      const h = harness();
      h.store.failures.markDone = 2;
      const marking = h.ledger.markDone(['a']);
      await jest.advanceTimersByTimeAsync(50);
      expect(h.store.log).toEqual(['markDone a']);
      await settleWithTimers(marking);
      expect(h.store.log).toEqual(['markDone a', 'markDone a', 'markDone a']);
      expect(h.state.heartbeats).toBeGreaterThanOrEqual(2);
      expect(h.log.events()).toEqual(['dedup-waiting', 'dedup-waiting']);
      expect(h.log.entries[0]).toMatchObject({ groupId: 'g', error: 'Error: markDone: ECONNREFUSED' });
    });

    it('rejects markDone with ClaimUnavailableError once the batch must stop while the store is down', async () => {
      const h = harness();
      h.store.failures.markDone = Number.MAX_SAFE_INTEGER;
      const marking = h.ledger.markDone(['a']);
      await jest.advanceTimersByTimeAsync(250);
      h.stop();
      await expect(settleWithTimers(marking)).rejects.toBeInstanceOf(ClaimUnavailableError);
      const tries = h.store.log.length;
      await jest.advanceTimersByTimeAsync(1000);
      expect(h.store.log).toHaveLength(tries);
    });

    it('releases the ids it is given, and makes no store call for none', async () => {
      const h = harness();
      await h.ledger.release([]);
      expect(h.store.log).toEqual([]);
      await h.ledger.release(['b', 'c']);
      expect(h.store.log).toEqual(['release b,c']);
    });
  });
});
