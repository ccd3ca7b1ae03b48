import { ApiKey, ErrorCode } from '@nrk/embedded-broker';
import { ReliableKafkaModule, type ReliableBatchHandlerOptions } from 'nestjs-reliable-kafka';
import { requireEmbedded, requireEnv, uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';
import { CommitWatcher } from './ordering-commit-watcher';
import { probedConsumer, produceKeyed, slowBody, range } from './ordering-consumer';
import { CallProbe } from './ordering-probe';
import { CapturingLogger, startLoggedApp } from './retry-dlt-harness';

jest.setTimeout(120_000);

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
const PER_KEY = 10;
const PER_PARTITION = KEYS.length * PER_KEY;

/** Captured warnings, each stamped with the probe's logical clock, to place a log line among handler calls. */
class TickLogger extends CapturingLogger {
  readonly ticks: { tick: number; line: string }[] = [];
  constructor(private readonly probe: CallProbe) {
    super();
  }
  override warn(message: unknown): void {
    super.warn(message);
    // The captured text (structured entries are reduced to their message by the base class).
    this.ticks.push({ tick: this.probe.now(), line: this.lines.at(-1) ?? '' });
  }
}

/** Without dedup, or with the Redis dedup store (which must turn every redelivery into a skip). */
type Dedup = 'off' | 'redis';

/**
 * The DESIGN §2 checks every revocation test ends with: nothing lost; each key's first effects in order; no
 * committed message handled again. A message that finished but lay beyond the committed prefix (a gap of
 * unfinished records before it) may run again after the stop: without dedup that is the one duplicate allowed,
 * with dedup there must be no duplicated effect at all.
 */
function expectNothingLostOrReordered(
  probe: CallProbe,
  watcher: CommitWatcher,
  partitions: number[],
  dedup: Dedup,
): void {
  for (const p of partitions)
    expect({ p, unsettled: probe.settledBelow(p, PER_PARTITION) }).toEqual({ p, unsettled: [] });
  expect(watcher.redoneAfterCommit()).toEqual([]);
  if (dedup === 'redis') expect(probe.duplicates()).toEqual([]);
  const expected = Object.fromEntries(
    partitions.flatMap((p) => KEYS.map((k) => [`p${p}-${k}`, range(PER_KEY)])),
  );
  expect(Object.fromEntries(probe.seqsByKey(true))).toEqual(expected);
  expect(probe.keyOverlaps()).toEqual([]);
  expect(watcher.violations).toEqual([]);
}

describe("reliable consumer: revocation with concurrent 'key' calls in flight (real kafkajs over TCP)", () => {
  const bed = useConsumerTestbed({ faults: true });
  const watchers: CommitWatcher[] = [];
  afterEach(async () => {
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
  });

  async function setup(name: string, partitions: number[], dedup: Dedup) {
    const topic = uniqueName(`ordering-${name}`);
    const groupId = uniqueName(name);
    await createTopic(bed.tools, topic, partitions.length);
    // Keys carry their partition so that a key's messages are all on one partition (as hashing would do).
    for (const p of partitions) {
      await produceKeyed(
        bed.tools,
        topic,
        KEYS.map((k) => `p${p}-${k}`),
        PER_KEY,
        { partition: p },
      );
    }
    const probe = new CallProbe();
    const watcher = new CommitWatcher(bed.tools, groupId, topic, partitions, probe);
    watchers.push(watcher);
    const options: ReliableBatchHandlerOptions = {
      topic,
      groupId,
      fromBeginning: true,
      ordering: 'key',
      concurrency: 4,
      maxBatchSize: 2,
      dedup: dedup === 'redis',
      heartbeatInterval: 200,
    };
    const keyPrefix = uniqueName('ordering-revocation');
    const moduleOptions = testOptions(
      bed.target.brokers,
      dedup === 'redis' ? { dedup: { store: 'redis', url: requireEnv('REDIS_URL'), keyPrefix } } : {},
    );
    const allCommitted = () =>
      waitFor(
        async () => {
          for (const p of partitions) {
            if (Number(await committedOffset(bed.tools, groupId, topic, p)) !== PER_PARTITION) return false;
          }
          return true;
        },
        { timeoutMs: 90_000, message: () => `all committed; ${probe.settled.length} settled` },
      );
    return { groupId, probe, watcher, options, moduleOptions, allCommitted };
  }

  it.each<Dedup>(['off', 'redis'])(
    'dedup %s: a second member joins; the old owner starts nothing new, finishes its calls, the new owner goes on',
    async (dedup) => {
      const partitions = [0, 1];
      const { probe, watcher, options, moduleOptions, allCommitted } = await setup(
        'revoke-join',
        partitions,
        dedup,
      );
      const start = async (app: string) =>
        bed.apps.push(
          await startApp(ReliableKafkaModule.forRoot(moduleOptions), {
            providers: [probedConsumer(probe, app, options, slowBody(probe, app, 250))],
          }),
        );
      await start('A');
      await waitFor(() => probe.settled.length >= 10 && probe.inFlight >= 2, {
        message: () =>
          `A busy with several calls (${probe.inFlight} in flight, ${probe.settled.length} done)`,
      });
      const inFlightWhenBJoined = probe.inFlight;
      await start('B');
      await allCommitted();

      expect(inFlightWhenBJoined).toBeGreaterThanOrEqual(2);
      // Key ordering ran calls side by side within one partition (partition ordering never does).
      expect(Math.max(...probe.maxInFlightByPartition.values())).toBeGreaterThan(1);
      const moved = partitions.filter((p) => new Set(probe.callsOn(p).map((c) => c.app)).size > 1);
      expect(moved.length).toBeGreaterThan(0);
      for (const p of partitions) {
        const calls = probe.callsOn(p);
        // One hand-over at most, and no call of the old owner ran (or was still running) beside the new owner's.
        const owners = calls.map((c) => c.app).filter((app, i, all) => i === 0 || all[i - 1] !== app);
        expect({ p, owners }).toEqual({ p, owners: owners.slice(0, 2) });
        expect({ p, overlapping: probe.overlapsAcrossApps(p) }).toEqual({ p, overlapping: [] });
      }
      expectNothingLostOrReordered(probe, watcher, partitions, dedup);
    },
  );

  it.each<Dedup>(['off', 'redis'])(
    'dedup %s: a heartbeat answered REBALANCE_IN_PROGRESS; no new call starts until the in-flight ones finished',
    async (dedup) => {
      const embedded = requireEmbedded(bed.target);
      const { groupId, probe, watcher, options, moduleOptions, allCommitted } = await setup(
        'revoke-heartbeat',
        [0],
        dedup,
      );
      const logger = new TickLogger(probe);
      bed.apps.push(
        await startLoggedApp(
          ReliableKafkaModule.forRoot(moduleOptions),
          { providers: [probedConsumer(probe, 'A', options, slowBody(probe, 'A', 400))] },
          logger,
        ),
      );
      await waitFor(() => probe.inFlight >= 2, { message: 'several calls in flight' });
      embedded.faults.failNext({
        apiKey: ApiKey.Heartbeat,
        errorCode: ErrorCode.REBALANCE_IN_PROGRESS,
        count: 1,
      });
      const failed = await waitFor(
        () => logger.ticks.find((t) => t.line.includes(groupId) && /heartbeat failed/i.test(t.line)),
        {
          message: () => `the runtime saw the failed heartbeat; warnings: ${logger.lines.join(' | ')}`,
        },
      );
      await allCommitted();

      const inFlightAtFault = probe.calls.filter(
        (c) => c.started < failed.tick && (c.ended ?? Infinity) > failed.tick,
      );
      expect(inFlightAtFault.length).toBeGreaterThanOrEqual(1);
      const drained = Math.max(...inFlightAtFault.map((c) => c.ended ?? Infinity));
      const startedDuringStop = probe.calls.filter((c) => c.started > failed.tick && c.started < drained);
      expect(startedDuringStop).toEqual([]);
      // The in-flight calls were allowed to finish (none was abandoned half-way) and work resumed afterwards.
      expect(inFlightAtFault.every((c) => c.ok === true)).toBe(true);
      expect(probe.calls.some((c) => c.started > drained)).toBe(true);
      expect(probe.maxInFlight).toBeGreaterThan(1);
      expectNothingLostOrReordered(probe, watcher, [0], dedup);
    },
  );
});
