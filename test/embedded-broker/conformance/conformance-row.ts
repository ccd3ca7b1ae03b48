import type { Admin } from 'kafkajs';
import type { EmbeddedKafka, EmbeddedKafkaOptions } from '@nrk/embedded-broker';
import type { RawConnection } from '../support/raw-connection';
import type { RawGroupHarness } from '../support/raw-group-harness';

/** Options of a topic a row creates. */
export interface RowTopic {
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly configs?: Record<string, string>;
}

/** What a row gets to run with. Everything it opens through the context is closed after it. */
export interface ConformanceContext {
  /** The cluster portable rows run on: a 3-broker embedded cluster, or the one in KAFKA_BROKERS. */
  readonly brokers: string[];
  readonly admin: Admin;
  createTopic(topic?: RowTopic): Promise<string>;
  /** A raw connection to the leader of a partition of that cluster. */
  leader(topic: string, partition?: number): Promise<RawConnection>;
  /** A new topic and a raw connection to the leader of its partition 0. */
  topicLeader(topic?: RowTopic): Promise<{ topic: string; conn: RawConnection }>;
  connect(hostPort: string): Promise<RawConnection>;
  /** A broker config as DescribeConfigs reports it (undefined if the broker does not). */
  brokerConfig(name: string): Promise<string | undefined>;
  /** Raw group members for `topic`, on the portable cluster. */
  groups(topic: string): RawGroupHarness;
  /** An embedded cluster of the row's own, for rows that inject faults: embedded even when KAFKA_BROKERS is set. */
  embedded(options: EmbeddedKafkaOptions): Promise<EmbeddedKafka>;
}

/**
 * One row of the conformance table (docs/broker-conformance.md): a request, the outcome Apache Kafka gives, and
 * where in Kafka's source or KIPs that behaviour is defined. `run` sends the request and asserts the outcome.
 */
export interface ConformanceRow {
  readonly id: string;
  readonly title: string;
  readonly expected: string;
  readonly source: string;
  /** Set when the row needs fault injection, which only the embedded broker offers: why. */
  readonly embeddedOnly?: string;
  readonly timeoutMs?: number;
  run(ctx: ConformanceContext): Promise<void>;
}

/** Everything of a row but its test: what row factories take. */
export type RowHead = Omit<ConformanceRow, 'run'>;
