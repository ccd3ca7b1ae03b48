import {
  Partitioners,
  type Admin,
  type Kafka,
  type Message,
  type PartitionMetadata,
  type Producer,
} from 'kafkajs';
import type {
  OutgoingRecord,
  PartitionProduceRequest,
  ProduceAck,
  ProduceClient,
} from '../produce-client.interface';
import { ProduceAttemptError } from '../produce-attempt.error';
import { classifyKafkajsProduceError } from './classify-kafkajs-produce-error.util';

/** How the kafkajs producer is built. */
export interface KafkajsProduceClientSettings {
  readonly idempotent: boolean;
  /** kafkajs' own retry of a failed request (it refuses fewer than one for an idempotent producer). */
  readonly retryDelayMs: number;
}

/**
 * The kafkajs adapter of the produce port. Every `produce` is one kafkajs `sendBatch` for exactly one partition,
 * so its outcome is all or nothing: kafkajs (2.2.4) merges a multi-partition request's per-broker answers and
 * drops partitions whose leader moved to a broker that had already answered (kafkajs issue 1303), and a failed
 * multi-broker call does not say which brokers had applied their share.
 *
 * kafkajs retries a failed request once on its own (`retries: 1`, the least it accepts for an idempotent
 * producer) and reports only the last answer; a retriable error that ends a call is therefore reported with an
 * unknown outcome (`classifyKafkajsProduceError`).
 */
export class KafkajsProduceClient implements ProduceClient {
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  private readonly keyPartitioner = Partitioners.DefaultPartitioner();
  private readonly metadataOfSize = new Map<number, PartitionMetadata[]>();

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: KafkajsProduceClientSettings,
  ) {}

  async connect(): Promise<void> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    this.admin = admin;
    this.producer = await this.connectProducer();
  }

  async partitionCount(topic: string): Promise<number> {
    const count = await this.fetchPartitionCount(topic).catch(() => 0);
    if (count > 0) return count;
    // Unknown to the cluster: a producer's metadata request asks for auto-creation (the admin's does not).
    await this.requireProducer()
      .sendBatch({ topicMessages: [{ topic, messages: [] }] })
      .catch(() => undefined);
    const created = await this.fetchPartitionCount(topic).catch(() => 0);
    if (created > 0) return created;
    throw new ProduceAttemptError(
      `topic '${topic}' is not in the cluster's metadata (create it, or allow auto-creation)`,
      {
        written: 'no',
        retriable: true,
        tooLarge: false,
        sequenceRejected: false,
        code: 'UNKNOWN_TOPIC_OR_PARTITION',
      },
    );
  }

  partitionForKey(key: Buffer | string, partitionCount: number): number {
    let partitionMetadata = this.metadataOfSize.get(partitionCount);
    if (!partitionMetadata) {
      partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        partitionErrorCode: 0,
        replicas: [],
        isr: [],
      }));
      this.metadataOfSize.set(partitionCount, partitionMetadata);
    }
    return this.keyPartitioner({ topic: '', partitionMetadata, message: { key, value: null } });
  }

  async produce(request: PartitionProduceRequest): Promise<ProduceAck> {
    const { topic, partition } = request;
    let results;
    try {
      results = await this.requireProducer().sendBatch({
        topicMessages: [{ topic, messages: request.records.map((r) => toMessage(r, partition)) }],
        acks: request.acks,
        timeout: request.ackTimeoutMs,
      });
    } catch (error) {
      const facts = classifyKafkajsProduceError(error);
      throw new ProduceAttemptError(`produce to ${topic}/${partition} failed: ${messageOf(error)}`, facts, {
        cause: error,
      });
    }
    if (request.acks === 0) return { baseOffset: '-1' };
    const result = results.find((r) => r.topicName === topic && r.partition === partition);
    if (result?.baseOffset === undefined || result.baseOffset === null) {
      throw new ProduceAttemptError(`no acknowledgement for ${topic}/${partition} in the produce response`, {
        written: 'unknown',
        retriable: true,
        tooLarge: false,
        sequenceRejected: false,
      });
    }
    return { baseOffset: String(result.baseOffset) };
  }

  async renewIdempotence(): Promise<void> {
    if (!this.settings.idempotent) return;
    const old = this.producer;
    this.producer = undefined;
    await old?.disconnect().catch(() => undefined);
    this.producer = await this.connectProducer(); // connect() asks for a new producer id (InitProducerId)
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.all([producer?.disconnect(), admin?.disconnect()].map((p) => p?.catch(() => undefined)));
  }

  private async connectProducer(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: this.settings.idempotent,
      allowAutoTopicCreation: true,
      retry: {
        retries: 1,
        initialRetryTime: this.settings.retryDelayMs,
        maxRetryTime: this.settings.retryDelayMs,
      },
    });
    await producer.connect();
    return producer;
  }

  private async fetchPartitionCount(topic: string): Promise<number> {
    if (!this.admin) throw new Error('produce client is not connected');
    const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
  }

  private requireProducer(): Producer {
    if (!this.producer) throw new ProduceAttemptError('producer is not connected', notSent(true));
    return this.producer;
  }
}

function notSent(retriable: boolean): ConstructorParameters<typeof ProduceAttemptError>[1] {
  return { written: 'no', retriable, tooLarge: false, sequenceRejected: false };
}

function toMessage(record: OutgoingRecord, partition: number): Message {
  const message: Message = { key: record.key, value: record.value, headers: record.headers, partition };
  if (record.timestamp !== undefined) message.timestamp = record.timestamp;
  return message;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
