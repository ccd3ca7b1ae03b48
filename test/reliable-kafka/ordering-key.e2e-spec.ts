import {
  BatchFailedError,
  ReliableKafkaModule,
  type ReliableBatchHandlerOptions,
} from 'nestjs-reliable-kafka';
import { uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';
import { CommitWatcher } from './ordering-commit-watcher';
import {
  Gate,
  probedConsumer,
  produceKeyed,
  sleep,
  slowBody,
  type CallBody,
  range,
} from './ordering-consumer';
import { CallProbe } from './ordering-probe';
import { readTopic } from './retry-dlt-harness';

jest.setTimeout(120_000);

class TransientError extends Error {
  override name = 'TransientError';
}
class PermanentError extends Error {
  override name = 'PermanentError';
}

describe("reliable consumer: ordering 'key' (real kafkajs over TCP)", () => {
  const bed = useConsumerTestbed();
  const watchers: CommitWatcher[] = [];
  afterEach(async () => {
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
  });

  /** Creates the topic, seeds it, starts the app and a commit watcher; returns the probe and watcher. */
  async function run(name: string, keys: string[], perKey: number, probe: CallProbe, setup: ConsumerSetup) {
    const topic = uniqueName(`ordering-${name}`);
    const groupId = uniqueName(name);
    await createTopic(bed.tools, topic);
    const log = await produceKeyed(bed.tools, topic, keys, perKey);
    const watcher = new CommitWatcher(bed.tools, groupId, topic, [0], probe);
    watchers.push(watcher);
    const options = {
      topic,
      groupId,
      fromBeginning: true,
      ordering: 'key' as const,
      dedup: false,
      ...setup.options,
    };
    const consumer = probedConsumer(probe, 'A', options, setup.body);
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [consumer] }),
    );
    const offsetOf = (key: string, seq: number) => log.findIndex((v) => v.key === key && v.seq === seq);
    const committed = async () => Number(await committedOffset(bed.tools, groupId, topic));
    const fullyCommitted = () =>
      waitFor(async () => (await committed()) === log.length, {
        timeoutMs: 60_000,
        message: () => `committed ${log.length}; calls ${JSON.stringify(probe.calls.slice(-5))}`,
      });
    return { topic, log, watcher, offsetOf, committed, fullyCommitted };
  }

  it('runs different keys concurrently (never above `concurrency`), one key per call, each key in order', async () => {
    const keys = ['k0', 'k1', 'k2', 'k3'];
    const probe = new CallProbe();
    const { watcher, fullyCommitted } = await run('key', keys, 50, probe, {
      options: { concurrency: 3, maxBatchSize: 5 },
      body: slowBody(probe, 'A', 15),
    });
    await fullyCommitted();

    // Exactly once (no dedup, no rebalance: nothing may run twice) and in order, per key.
    expect(probe.duplicates()).toEqual([]);
    expect(Object.fromEntries(probe.seqsByKey())).toEqual(
      Object.fromEntries(keys.map((k) => [k, range(50)])),
    );
    expect(probe.calls.filter((c) => c.keys.length !== 1)).toEqual([]);
    expect(probe.calls.filter((c) => c.seqs.some((s, i) => i > 0 && s !== c.seqs[i - 1] + 1))).toEqual([]);
    expect(probe.keyOverlaps()).toEqual([]);
    // Four keys could all run at once: the bound is what keeps them at 3; and more than one did run at once.
    expect(probe.maxInFlight).toBeGreaterThan(1);
    expect(probe.maxInFlight).toBeLessThanOrEqual(3);
    expect(watcher.violations).toEqual([]);
  });

  it('a blocked key holds back only itself and the committed offset; the others finish meanwhile', async () => {
    const gate = new Gate();
    const probe = new CallProbe();
    const body: CallBody = async (messages) => {
      if (messages.some((m) => m.value.key === 'slow' && m.value.seq === 0)) await gate.opened;
      for (const m of messages) probe.settle('A', m);
    };
    const t = await run('slow-key', ['slow', 'b', 'c'], 10, probe, {
      options: { concurrency: 3, maxBatchSize: 5 },
      body,
    });
    const others = () => probe.settled.filter((s) => s.key !== 'slow').length;
    try {
      await waitFor(() => others() === 20, {
        message: () => `keys b and c done while 'slow' waits (${others()})`,
      });
      await sleep(500); // room for a wrong commit to show up
      const slowFirst = t.offsetOf('slow', 0);
      expect(slowFirst).toBe(0);
      expect(await t.committed()).toBeLessThanOrEqual(slowFirst);
      expect(t.watcher.latest()).toBeLessThanOrEqual(slowFirst);
      expect(probe.settled.filter((s) => s.key === 'slow')).toEqual([]);
      // The blocked key's later messages have not started either.
      expect(probe.calls.filter((c) => c.keys.includes('slow'))).toHaveLength(1);
    } finally {
      gate.release(); // also when an assertion failed: a handler blocked for good would hang the app's shutdown
    }
    await t.fullyCommitted();
    expect(probe.duplicates()).toEqual([]);
    expect(probe.seqsByKey().get('slow')).toEqual(range(10));
    expect(probe.keyOverlaps()).toEqual([]);
    expect(t.watcher.violations).toEqual([]);
  });

  it('a key retrying with backoff does not stop the other keys; its own order holds', async () => {
    const probe = new CallProbe();
    let failures = 0;
    const othersDone = () => probe.settled.filter((s) => s.key !== 'a').length === 30;
    const body: CallBody = async (messages) => {
      for (const [i, m] of messages.entries()) {
        // a/3 fails twice, then keeps failing until every other key is done (bounded by maxAttempts): it can only
        // succeed if the other keys went on while it was retrying.
        if (m.value.key === 'a' && m.value.seq === 3 && (failures < 2 || !othersDone())) {
          failures++;
          throw new BatchFailedError(i, new TransientError(`a/3 attempt ${failures}`));
        }
        probe.settle('A', m);
      }
    };
    // maxBatchSize 4: a/3 is the last of its call [a/0..a/3], so the call fails after three effects.
    const t = await run('retry-key', ['a', 'b', 'c', 'd'], 10, probe, {
      options: {
        concurrency: 3,
        maxBatchSize: 4,
        retry: { maxAttempts: 60, initialDelayMs: 50, maxDelayMs: 100 },
      },
      body,
    });
    await t.fullyCommitted();

    expect(failures).toBeGreaterThanOrEqual(2);
    const dlt = `${t.topic}.dlt`;
    const dltExists = (await bed.tools.admin.listTopics()).includes(dlt);
    expect(dltExists ? await readTopic(bed.target.brokers, dlt) : []).toEqual([]);
    const a3 = probe.settled.find((s) => s.key === 'a' && s.seq === 3);
    const later = (key: string, offset: number) => key !== 'a' && offset > t.offsetOf('a', 3);
    const laterOthers = probe.settled.filter((s) => later(s.key, s.offset));
    expect(laterOthers).toHaveLength(t.log.filter((v, offset) => later(v.key, offset)).length);
    expect(laterOthers.filter((s) => a3 === undefined || s.tick > a3.tick)).toEqual([]);
    // Messages before a/3 in its call were done once; the retry handed over a/3 onwards only.
    expect(probe.duplicates()).toEqual([]);
    for (const key of ['a', 'b', 'c', 'd']) expect(probe.seqsByKey().get(key)).toEqual(range(10));
    expect(probe.keyOverlaps()).toEqual([]);
    expect(t.watcher.violations).toEqual([]);
  });

  it("a key's permanently failing message is dead-lettered, and its later messages run after it, in order", async () => {
    const probe = new CallProbe();
    const body: CallBody = async (messages) => {
      await sleep(20);
      for (const [i, m] of messages.entries()) {
        if (m.value.key === 'a' && m.value.seq === 3) {
          probe.settle('A', m, false);
          throw new BatchFailedError(i, new PermanentError('a/3 can never succeed'));
        }
        probe.settle('A', m);
      }
    };
    const t = await run('dlt-key', ['a', 'b', 'c'], 8, probe, {
      options: { concurrency: 3, maxBatchSize: 4, retry: { nonRetryable: [PermanentError] } },
      body,
    });
    await t.fullyCommitted();

    const letters = await readTopic(bed.target.brokers, `${t.topic}.dlt`);
    expect(letters.map((l) => JSON.parse(l.value?.toString() ?? 'null'))).toEqual([{ key: 'a', seq: 3 }]);
    expect(probe.seqsByKey().get('a')).toEqual([0, 1, 2, 4, 5, 6, 7]);
    expect(probe.seqsByKey().get('b')).toEqual(range(8));
    expect(probe.seqsByKey().get('c')).toEqual(range(8));
    expect(probe.calls.filter((c) => c.keys.includes('a') && c.seqs.includes(3))).toHaveLength(1);
    expect(probe.duplicates()).toEqual([]);
    // a/4 started only after the call that failed a/3 ended (and, by the runtime, after the dead letter's ack).
    expect(probe.keyOverlaps()).toEqual([]);
    expect(probe.maxInFlight).toBeGreaterThan(1);
    expect(t.watcher.violations).toEqual([]);
  });
});

/** How one test's handler is configured: extra decorator options and the call body. */
interface ConsumerSetup {
  options: Partial<ReliableBatchHandlerOptions>;
  body: CallBody;
}
