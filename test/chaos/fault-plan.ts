import type { BrokerProcess } from './broker-process';
import type { ConsumerFleet } from './consumer-fleet';
import type { ProducerRunner } from './producer-runner';
import type { RedisProcess } from '../support';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the plan acts on. `broker` is absent against an external cluster: broker faults are then skipped. */
export interface FaultTargets {
  total: number;
  producer: ProducerRunner;
  fleet: ConsumerFleet;
  broker?: BrokerProcess;
  /** The dedicated Redis of the Redis-dedup variant: taken down for a while mid-run. */
  redis?: RedisProcess;
}

/**
 * Injects the faults while the producer runs, each once a given share of the messages was acked, and returns one
 * line per fault (with the time and progress at which it happened) for the report.
 */
export async function runFaultPlan({
  total,
  producer,
  fleet,
  broker,
  redis,
}: FaultTargets): Promise<string[]> {
  const started = Date.now();
  const faults: string[] = [];
  const note = (what: string): void => {
    faults.push(`t+${((Date.now() - started) / 1000).toFixed(1)}s acked=${producer.acked}: ${what}`);
  };
  const at = (fraction: number) => producer.untilAcked(Math.floor(total * fraction));
  const brokerFault = async (command: string): Promise<void> => {
    if (!broker) {
      note(`skipped (external cluster): ${command}`);
      return;
    }
    note(`broker ${command} -> ${await broker.command(command)}`);
  };
  // Replacements start in the background: a consumer joining waits for the dead member's session to expire, and
  // the plan must keep pace with the producer so that later kills still find batches in flight.
  const replacements: Promise<void>[] = [];
  const startConsumer = (why: string): void => {
    replacements.push(fleet.add().then((m) => note(`consumer ${m.child.pid} ready (${why})`)));
  };
  const killAndReplace = async (): Promise<void> => {
    const kill = await fleet.killMidBatch();
    note(
      kill
        ? `SIGKILL consumer ${kill.pid} (mid-batch: ${kill.inBatch})`
        : 'SIGKILL: no consumer caught mid-batch',
    );
    startConsumer('replacement, rebalance');
  };

  await at(0.1);
  await brokerFault('fail produce NOT_ENOUGH_REPLICAS 5');
  await at(0.2);
  await killAndReplace();
  await at(0.3);
  await brokerFault('drop produce 1');
  await at(0.4);
  await brokerFault('close-connections');
  if (redis) {
    await at(0.45);
    await redis.stop();
    note('Redis stopped');
    await sleep(4_000);
    await redis.start();
    note('Redis restarted (empty: nothing persisted)');
  }
  await at(0.5);
  startConsumer('extra, rebalance');
  await at(0.6);
  await brokerFault('kill 1');
  await sleep(3_000);
  await brokerFault('restart 1');
  await at(0.7);
  await killAndReplace();
  await at(0.85);
  await killAndReplace();
  await Promise.all(replacements);
  return faults;
}
