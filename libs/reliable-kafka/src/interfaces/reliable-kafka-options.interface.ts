import type { KafkaConfig } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { HandlerDefaults } from './batch-handler-options.interface';
import type { MessageDeserializer, MessageIdExtractor } from './message-codec.interface';
import type { DoctorOptions } from '../doctor/doctor-options.interface';
import type { TopicSpec } from '../provisioning/topic-spec.interface';

/** Where processed message ids are remembered (see DESIGN §4). */
export type DedupOptions =
  | { store: 'redis'; url: string; keyPrefix?: string; claimTtlMs?: number; retentionMs?: number }
  | {
      store: 'postgres';
      dataSource: DataSource;
      tableName?: string;
      claimTtlMs?: number;
      retentionMs?: number;
    }
  /** In-process, not durable: for the embedded development default only. */
  | { store: 'memory'; claimTtlMs?: number; retentionMs?: number }
  | { store: 'none' };

/** Producer behaviour. Defaults are the safe ones: acks all, idempotent, bounded retries. */
export interface ReliableProducerOptions {
  /** -1 (all in-sync replicas, default), 1 or 0. Anything but -1 can lose acknowledged messages. */
  acks?: -1 | 0 | 1;
  /** Idempotent producer (default true): the broker drops a resent batch it already has. */
  idempotent?: boolean;
  /**
   * Time a send may take from the `send()` call, waiting for buffer room and retries included, before it rejects
   * with DeliveryError (default 30000).
   */
  deliveryTimeoutMs?: number;
  /** First retry delay (default 100); doubles per attempt with full jitter, capped by maxRetryTimeMs. */
  initialRetryTimeMs?: number;
  /** Largest single retry delay (default 5000). */
  maxRetryTimeMs?: number;
  /** A partition's records sent within this window go in one request (default 2 ms, 0 disables). */
  lingerMs?: number;
  /** Header that carries the message id; stamped when absent (default: the module's `messageIdHeader`). */
  messageIdHeader?: string;
  /**
   * Bytes of records accepted and not yet acknowledged, over all topics (default 64 MiB; Java's `buffer.memory`).
   * A send that does not fit waits up to `maxBlockMs`, then rejects (nothing written).
   */
  maxBufferedBytes?: number;
  /** The same bound for one topic (default: `maxBufferedBytes`). */
  maxBufferedBytesPerTopic?: number;
  /** How long a send waits for buffer room before it rejects with ProducerBufferFullError (default 30000). */
  maxBlockMs?: number;
  /**
   * Largest request, in bytes (default 1048576; Java's `max.request.size`). Every request carries one partition's
   * records, so this bounds a partition's batch too.
   */
  maxRequestBytes?: number;
  /**
   * Largest batch of one partition, in bytes (default 1000000), kept under the topic's `max.message.bytes`
   * (Kafka's default 1048588). Keyless records move on to the next partition when it is reached.
   */
  maxBatchBytes?: number;
  /** How old cached partition counts may get before they are fetched again (default 300000). */
  metadataMaxAgeMs?: number;
}

/** Prometheus metrics (prom-client); see docs/observability.md for every metric. */
export interface ReliableKafkaMetricsOptions {
  /**
   * Registry the metrics are registered in (default: prom-client's global `register`). Metrics already in it under
   * the same name are reused, so two modules in one process (or one re-created in tests) share them.
   */
  registry?: Registry;
  /** Prepended to every metric name, e.g. `'orders_'` gives `orders_reliable_kafka_messages_processed_total`. */
  prefix?: string;
}

/** What to do when the config could lose data: refuse to start (default) or log a warning. */
export type UnsafeConfigMode = 'fail' | 'warn';

/** Options of `ReliableKafkaModule.forRoot()`. */
export interface ReliableKafkaModuleOptions {
  /** Any kafkajs KafkaConfig (clientId, brokers, ssl, sasl, ...). */
  client: KafkaConfig;
  /** Dedup store; default `{ store: 'none' }`. */
  dedup?: DedupOptions;
  producer?: ReliableProducerOptions;
  /** Unsafe producer settings (acks 0/1, idempotence off) fail at startup by default. */
  unsafeConfig?: UnsafeConfigMode;
  /**
   * How long application shutdown waits for handler calls in flight (default 20000): then their `ctx.signal` is
   * aborted and they count as failed (not committed), what finished is committed, and the consumers leave their
   * groups. Below Kubernetes' default 30 s grace period, so the process ends before it is killed.
   */
  shutdownTimeoutMs?: number;
  /** Header read for the message id on consume (default 'message-id'). */
  messageIdHeader?: string;
  /** Id for messages without the id header (default: none, so `topic/partition/offset` is used). */
  messageIdExtractor?: MessageIdExtractor;
  /** Turns a record value into `ReliableMessage.value` (default: UTF-8 JSON; `null` stays `null`). */
  deserializer?: MessageDeserializer;
  /** Defaults for every `@ReliableBatchHandler` (each handler may override them). */
  consumer?: HandlerDefaults;
  /**
   * Checks the consumed, provisioned and listed topics and the client settings at startup (default mode 'warn':
   * log every finding; 'fail' refuses to start on an error; 'off' skips the check).
   */
  doctor?: DoctorOptions;
  /** Topics to create at startup when missing, with their dead-letter (and retry) topics and safe configs. */
  topics?: TopicSpec[];
  /** Let provisioning raise partitions and set configs of existing topics (default false: report only). */
  allowTopicChanges?: boolean;
  /** Prometheus metrics (default on, in prom-client's global registry); `false` turns them off (health still works). */
  metrics?: ReliableKafkaMetricsOptions | false;
}
