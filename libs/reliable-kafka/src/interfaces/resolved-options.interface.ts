import type { KafkaConfig } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { ResolvedHandlerDefaults } from './batch-handler-options.interface';
import type { DoctorMode } from '../doctor/doctor-options.interface';
import type { TopicSpec } from '../provisioning/topic-spec.interface';
import type { MessageDeserializer, MessageIdExtractor } from './message-codec.interface';
import type {
  DedupOptions,
  ReliableProducerOptions,
  UnsafeConfigMode,
} from './reliable-kafka-options.interface';

/** Module options after defaults are merged and validation passed (see `validateOptions`). */
export interface ResolvedReliableKafkaOptions {
  client: KafkaConfig;
  dedup: DedupOptions;
  producer: Required<ReliableProducerOptions>;
  unsafeConfig: UnsafeConfigMode;
  shutdownTimeoutMs: number;
  messageIdHeader: string;
  messageIdExtractor: MessageIdExtractor | undefined;
  deserializer: MessageDeserializer;
  consumer: ResolvedHandlerDefaults;
  doctor: { mode: DoctorMode; topics: string[] };
  topics: TopicSpec[];
  allowTopicChanges: boolean;
  /** Where metrics go, or `false` when they are off. */
  metrics: { registry: Registry; prefix: string } | false;
  /** Unsafe settings accepted because `unsafeConfig` is 'warn'; logged once at startup. */
  warnings: string[];
}
