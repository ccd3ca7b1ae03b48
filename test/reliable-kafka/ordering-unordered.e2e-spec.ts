import { BatchFailedError, ReliableKafkaModule, type OrderingMode } from 'nestjs-reliable-kafka';
import { uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';
import { CommitWatcher } from './ordering-commit-watcher';
import { probedConsumer, produceKeyed, sleep, slowBody, type CallBody, range } from './ordering-consumer';
import { CallProbe } from './ordering-probe';

jest.setTimeout(180_000);

/** kafkajs' default `maxBytesPerPartition` (the library sets no other): the most one fetch returns per partition. */
const FETCH_MAX_BYTES_PER_PARTITION = 1_048_576;

describe("reliable consumer: ordering 'unordered' and backpressure (real kafkajs over TCP)", () => {
  const bed = useConsumerTestbed();
  const watchers: CommitWatcher[] = [];
  afterEach(async () => {
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
  });

  async function seeded(
    name: string,
    keys: string[],
    perKey: number,
    opts?: Parameters<typeof produceKeyed>[4],
  ) {
    const topic = uniqueName(`ordering-${name}`);
    const groupId = uniqueName(name);
    await createTopic(bed.tools, topic);
    const log = await produceKeyed(bed.tools, topic, keys, perKey, opts);
    const probe = new CallProbe();
    const watcher = new CommitWatcher(bed.tools, groupId, topic, [0], probe);
    watchers.push(watcher);
    const fullyCommitted = () =>
      waitFor(async () => Number(await committedOffset(bed.tools, groupId, topic)) === log.length, {
        timeoutMs: 120_000,
        message: () => `committed ${log.length} (${probe.settled.length} settled)`,
      });
    return { topic, groupId, log, probe, watcher, fullyCommitted };
  }

  it('handles every record exactly once, commits to the end, keeps within `concurrency`, retries in place', async () => {
    const keys = ['k0', 'k1', 'k2'];
    const { topic, groupId, probe, watcher, fullyCommitted } = await seeded('unordered', keys, 60);
    const options = { topic, groupId, fromBeginning: true, ordering: 'unordered' as const, dedup: false };
    // Offset 7 (third of its call [5..9]) fails twice, then until ten records past its call are done (bounded by
    // maxAttempts): it can only succeed if the rest went on while it was retrying. The commit waits below it.
    let failures = 0;
    const slow = slowBody(probe, 'A', 15);
    const pastSevenDone = () => probe.settled.filter((s) => s.offset > 9).length >= 10;
    const body: CallBody = async (messages, call) => {
      const at = messages.findIndex((m) => m.offset === '7');
      if (at >= 0 && (failures < 2 || !pastSevenDone())) {
        failures++;
        for (const m of messages.slice(0, at)) probe.settle('A', m);
        throw new BatchFailedError(at, new Error('offset 7 fails for now'));
      }
      await slow(messages, call);
    };
    const retry = { maxAttempts: 60, initialDelayMs: 50, maxDelayMs: 100 };
    const consumer = probedConsumer(probe, 'A', { ...options, concurrency: 4, maxBatchSize: 5, retry }, body);
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [consumer] }),
    );
    await fullyCommitted();

    expect(failures).toBeGreaterThanOrEqual(2);
    // Nothing handed over twice: the retry resumed at offset 7, not at its call's first record.
    expect(probe.duplicates()).toEqual([]);
    expect(probe.settledBelow(0, 180)).toEqual([]);
    // Records past 7's call were done before 7 succeeded: a failing record holds up only the commit.
    const seven = probe.settled.find((s) => s.offset === 7);
    expect(
      probe.settled.filter((s) => s.offset > 9 && s.tick < (seven?.tick ?? 0)).length,
    ).toBeGreaterThanOrEqual(10);
    // Order is given up, but every key's messages are all there.
    for (const k of keys)
      expect([...(probe.seqsByKey().get(k) ?? [])].sort((a, b) => a - b)).toEqual(range(60));
    expect(probe.calls.every((c) => c.offsets.length <= 5)).toBe(true);
    expect(probe.maxInFlight).toBeGreaterThan(1);
    expect(probe.maxInFlight).toBeLessThanOrEqual(4);
    expect(watcher.violations).toEqual([]);
  });

  /**
   * The bounds asserted, for a backlog far larger than one fetch:
   * - calls in flight <= concurrency (4), and the bound is reached (the backlog keeps the limiter saturated);
   * - records inside running calls <= concurrency x maxBatchSize;
   * - the window from the lowest record not yet settled to the highest record handed to a call is at most what
   *   one fetch of the partition can hold: values are >= VALUE_BYTES, so a fetch capped at kafkajs'
   *   maxBytesPerPartition holds at most FETCH / VALUE_BYTES records, plus one record batch (PER_SEND) that may
   *   straddle the cap. A runtime that resolved batches early, or buffered further fetches while calls of the
   *   previous one still run, would hand out records far beyond that (the backlog is 3000).
   */
  it.each<OrderingMode>(['key', 'unordered'])(
    '%s: a backlog of thousands never puts more in flight than `concurrency` calls and one fetch of records',
    async (ordering) => {
      const VALUE_BYTES = 2_048;
      const PER_SEND = 20;
      const keys = range(30).map((i) => `k${i}`);
      const { topic, groupId, log, probe, watcher, fullyCommitted } = await seeded(
        `backpressure-${ordering}`,
        keys,
        100,
        {
          perSend: PER_SEND,
          valueBytes: VALUE_BYTES,
        },
      );
      const done = new Array<boolean>(log.length).fill(false);
      let lowestOpen = 0;
      let widestWindow = 0;
      const body: CallBody = async (messages) => {
        widestWindow = Math.max(
          widestWindow,
          Math.max(...messages.map((m) => Number(m.offset))) - lowestOpen + 1,
        );
        await sleep(5);
        for (const m of messages) {
          probe.settle('A', m);
          done[Number(m.offset)] = true;
        }
        while (lowestOpen < done.length && done[lowestOpen]) lowestOpen++;
      };
      const options = {
        topic,
        groupId,
        fromBeginning: true,
        ordering,
        dedup: false,
        concurrency: 4,
        maxBatchSize: 10,
      };
      bed.apps.push(
        await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), {
          providers: [probedConsumer(probe, 'A', options, body)],
        }),
      );
      await fullyCommitted();

      const fetchHolds = Math.floor(FETCH_MAX_BYTES_PER_PARTITION / VALUE_BYTES) + PER_SEND;
      expect(probe.maxInFlight).toBe(4);
      expect(probe.maxRecordsInFlight).toBeLessThanOrEqual(4 * 10);
      expect(widestWindow).toBeGreaterThan(1);
      expect(widestWindow).toBeLessThanOrEqual(fetchHolds);
      expect(probe.duplicates()).toEqual([]);
      expect(probe.settledBelow(0, log.length)).toEqual([]);
      if (ordering === 'key') expect(probe.keyOverlaps()).toEqual([]);
      expect(watcher.violations).toEqual([]);
    },
  );
});
