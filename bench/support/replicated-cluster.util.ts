import type { BenchConfig } from './bench-config';
import { startBrokerProcess, type BrokerProcess } from './broker-process';
import { createSeeder, type Seeder } from './seed.util';

/** The cluster of scenarios 3 and 5: what a production topic looks like (RF 3, min ISR 2, 6 partitions). */
export const REPLICATED = { brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, partitions: 6 } as const;

export const REPLICATED_LABEL = `${REPLICATED.brokers} brokers, RF ${REPLICATED.replicationFactor}, min ISR ${REPLICATED.minInsyncReplicas}, ${REPLICATED.partitions} partitions`;

/** A replicated cluster a scenario runs on: embedded in its own process, or KAFKA_BROKERS. */
export interface ReplicatedCluster {
  readonly brokers: string[];
  readonly seeder: Seeder;
  /** The embedded cluster's process; undefined with KAFKA_BROKERS. */
  readonly process: BrokerProcess | undefined;
  /** Creates `topic` with RF 3, min.insync.replicas 2 and 6 partitions. */
  createTopic(topic: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a 3-broker embedded cluster in its own process (unless KAFKA_BROKERS is set) and a seeder on it. */
export async function openReplicatedCluster(config: BenchConfig): Promise<ReplicatedCluster> {
  const process = config.externalBrokers
    ? undefined
    : await startBrokerProcess([
        ...['--brokers', String(REPLICATED.brokers), '--port', '0'],
        ...['--replication-factor', String(REPLICATED.replicationFactor)],
        ...['--min-insync-replicas', String(REPLICATED.minInsyncReplicas)],
      ]);
  const brokers = config.externalBrokers ?? process!.brokers;
  let seeder: Seeder;
  try {
    seeder = await createSeeder(brokers);
  } catch (err) {
    await process?.stop();
    throw err;
  }
  return {
    brokers,
    seeder,
    process,
    createTopic: (topic) =>
      seeder.createTopic(topic, REPLICATED.partitions, {
        replicationFactor: REPLICATED.replicationFactor,
        configs: { 'min.insync.replicas': String(REPLICATED.minInsyncReplicas) },
      }),
    close: async () => {
      await seeder.close().catch(() => undefined);
      await process?.stop();
    },
  };
}
