import type { BrokerSettings, EmbeddedKafka } from '@nrk/embedded-broker';
import { uniqueName } from '../../support';
import type { RawConnection } from '../support/raw-connection';
import type { ConformanceContext } from './conformance-row';

/** An embedded cluster of a row's own, with one partition replicated on brokers 0 (leader), 1 and 2. */
export interface FaultCluster {
  readonly cluster: EmbeddedKafka;
  readonly topic: string;
  /** A raw connection to broker `id`. */
  connect(id: number): Promise<RawConnection>;
  /** A raw connection to the current leader of the partition. */
  leader(): Promise<RawConnection>;
  /** Live brokers' bootstrap addresses. */
  liveBrokers(): string[];
}

/**
 * Three brokers, RF 3, min.insync.replicas 2 by default, followers kept in the ISR for 10 s while they lag: the
 * setting of the failover rows. `replicas` narrows the assignment.
 */
export async function faultCluster(
  ctx: ConformanceContext,
  opts: { settings?: Partial<BrokerSettings>; configs?: Record<string, string>; replicas?: number[] } = {},
): Promise<FaultCluster> {
  const cluster = await ctx.embedded({
    brokers: 3,
    settings: { replicaLagTimeMaxMs: 10_000, ...opts.settings },
  });
  const topic = uniqueName('conformance-faults');
  const replicas = opts.replicas ?? [0, 1, 2];
  const created = cluster.cluster.createTopic({
    name: topic,
    numPartitions: 1,
    replicationFactor: replicas.length,
    assignments: [replicas],
    configs: { 'min.insync.replicas': '2', ...opts.configs },
  });
  if (!created.ok) throw new Error(created.message);
  const connect = (id: number): Promise<RawConnection> => ctx.connect(cluster.bootstrapServers[id]);
  return {
    cluster,
    topic,
    connect,
    leader: () => connect(cluster.cluster.partition(topic, 0)?.leader ?? -1),
    liveBrokers: () => cluster.bootstrapServers.filter((_, id) => cluster.cluster.isAlive(id)),
  };
}

/** InitProducerId without a transactional id: a fresh idempotent producer id (epoch 0). */
export async function initIdempotent(conn: RawConnection): Promise<number> {
  const r = await conn.request<{ errorCode: number; producerId: string }>('InitProducerId', 0, {
    transactionalId: null,
    transactionTimeout: 60_000,
  });
  if (r.errorCode !== 0) throw new Error(`InitProducerId failed: ${r.errorCode}`);
  return Number(r.producerId);
}

/** A one-partition topic with `configs` on an embedded cluster (replicated on every broker). */
export function createEmbeddedTopic(cluster: EmbeddedKafka, configs: Record<string, string>): string {
  const topic = uniqueName('conformance');
  const created = cluster.cluster.createTopic({
    name: topic,
    numPartitions: 1,
    replicationFactor: cluster.cluster.brokers.size,
    configs,
  });
  if (!created.ok) throw new Error(created.message);
  return topic;
}
