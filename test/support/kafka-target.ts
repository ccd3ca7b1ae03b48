import { EmbeddedKafka, type BrokerSettings } from '@nrk/embedded-broker';
import { externalBrokers } from './external-brokers';

/** The Kafka cluster a test runs against. */
export interface KafkaTarget {
  /** Bootstrap servers (`host:port`) for kafkajs' `brokers` option. */
  readonly brokers: string[];
  /** The in-process cluster, when the test started one (absent when KAFKA_BROKERS points at a real cluster). */
  readonly embedded?: EmbeddedKafka;
  /** Stops the embedded cluster; no-op for an external one. Call it in `afterAll`. */
  stop(): Promise<void>;
}

/** Options of {@link startKafkaTarget}. */
export interface KafkaTargetOptions {
  /** Brokers of the embedded cluster (ignored for an external one). Default 1. */
  brokers?: number;
  /**
   * The test injects broker faults, which only the embedded broker can do: it then always gets its own embedded
   * cluster, even when KAFKA_BROKERS is set, so the suite stays complete against an external cluster.
   */
  faults?: boolean;
  /**
   * Broker settings of the embedded cluster, for a test that needs what a test cluster would be configured with
   * (e.g. {@link SHORT_SESSION_TIMEOUTS}). An external cluster must be configured the same way: docker-compose.yml is.
   */
  settings?: Partial<BrokerSettings>;
}

/**
 * For tests with session timeouts below Kafka's group.min.session.timeout.ms default (6000): the minimum a test
 * cluster lowers to, the same value as docker-compose.yml's KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS.
 */
export const SHORT_SESSION_TIMEOUTS: Partial<BrokerSettings> = { groupMinSessionTimeoutMs: 1_000 };

/**
 * The cluster to test against: the one in KAFKA_BROKERS when set (e.g. docker-compose.yml's), else a fresh
 * embedded cluster with `opts.brokers` brokers on free ports.
 */
export async function startKafkaTarget(opts: KafkaTargetOptions = {}): Promise<KafkaTarget> {
  const external = opts.faults ? undefined : externalBrokers();
  if (external) {
    return { brokers: external, stop: async () => undefined };
  }
  const embedded = await EmbeddedKafka.start({ brokers: opts.brokers ?? 1, settings: opts.settings });
  return { brokers: embedded.bootstrapServers, embedded, stop: () => embedded.stop() };
}

/**
 * The embedded cluster of a target, for tests that inject faults (kill a broker, fail requests), which only the
 * embedded broker can do. Throws a message saying so when the suite runs against KAFKA_BROKERS.
 */
export function requireEmbedded(target: KafkaTarget): EmbeddedKafka {
  if (!target.embedded) {
    throw new Error(
      'this test injects faults and needs the embedded broker: start its target with ' +
        '`startKafkaTarget({ faults: true })`',
    );
  }
  return target.embedded;
}
