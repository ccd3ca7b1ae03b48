import { Cluster } from './cluster/cluster';
import { BrokerSettings, DEFAULT_BROKER_SETTINGS } from './cluster/configs';
import { Coordinators } from './cluster/coordinators';
import { RequestFaults } from './faults/request-faults';
import { FaultInjector } from './faults/fault-injector';
import { ApiRegistry } from './server/api-registry';
import { BrokerServer } from './server/broker-server';
import { BrokerRuntime } from './server/broker-runtime';
import { allApis } from './handlers';

export interface EmbeddedKafkaOptions {
  /** Number of brokers (default 1); ids are 0..n-1. */
  brokers?: number;
  /** Port of broker 0; broker i listens on port + i. 0 (default) picks free ports. */
  port?: number;
  host?: string;
  /** Broker settings: auto-creation, default partitions/RF, ISR lag, cluster-wide topic defaults. */
  settings?: Partial<BrokerSettings>;
  /** Where internal errors are reported (default: stderr). */
  log?: (message: string) => void;
}

/**
 * A Kafka-compatible cluster in this process, for development and tests: real wire protocol over TCP, several
 * brokers, replication, consumer groups, transactions, and fault injection. Not for production.
 */
export class EmbeddedKafka {
  private constructor(
    readonly cluster: Cluster,
    readonly coordinators: Coordinators,
    private readonly servers: Map<number, BrokerServer>,
    readonly faults: FaultInjector,
  ) {}

  static async start(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
    const count = options.brokers ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`brokers must be a positive integer, got ${count}`);
    const host = options.host ?? '127.0.0.1';
    const cluster = new Cluster({ ...DEFAULT_BROKER_SETTINGS, ...options.settings });
    const coordinators = new Coordinators(cluster);
    const registry = new ApiRegistry(allApis());
    const requestFaults = new RequestFaults();
    const log = options.log ?? ((m: string) => process.stderr.write(`[embedded-kafka] ${m}\n`));
    const servers = new Map<number, BrokerServer>();
    for (let id = 0; id < count; id++) {
      const info = { id, host, port: options.port ? options.port + id : 0, alive: true };
      cluster.brokers.set(id, info);
      const runtime: BrokerRuntime = {
        brokerId: id,
        cluster,
        coordinators,
        registry,
        faults: requestFaults,
        log,
      };
      servers.set(id, new BrokerServer(info, runtime));
    }
    const kafka = new EmbeddedKafka(
      cluster,
      coordinators,
      servers,
      new FaultInjector(cluster, servers, requestFaults),
    );
    try {
      for (const s of servers.values()) await s.start();
    } catch (err) {
      await kafka.stop();
      throw err;
    }
    cluster.startTicking();
    return kafka;
  }

  /** `host:port` of every broker, for a client's `brokers` option. */
  get bootstrapServers(): string[] {
    return [...this.cluster.brokers.values()].map((b) => `${b.host}:${b.port}`);
  }

  async stop(): Promise<void> {
    this.coordinators.stop();
    this.cluster.stop();
    await Promise.all([...this.servers.values()].map((s) => s.stop()));
  }
}
