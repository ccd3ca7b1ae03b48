import { Test, type TestingModule } from '@nestjs/testing';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import type { ReliableProducerOptions } from '../../libs/reliable-kafka/src/interfaces/reliable-kafka-options.interface';
import { validateOptions } from '../../libs/reliable-kafka/src/options/validate-options.util';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS } from '../../libs/reliable-kafka/src/reliable-kafka.constants';
import {
  RELIABLE_KAFKA_TELEMETRY,
  type ReliableKafkaTelemetry,
} from '../../libs/reliable-kafka/src/observability';
import { ReliableProducerService } from '../../libs/reliable-kafka/src/producer';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

/** A Nest context holding only the producer (with its real lifecycle hooks). */
export interface ProducerApp {
  moduleRef: TestingModule;
  producer: ReliableProducerService;
}

export async function startProducerApp(
  brokers: string[],
  producer: ReliableProducerOptions = {},
  telemetry?: ReliableKafkaTelemetry,
): Promise<ProducerApp> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      {
        provide: RESOLVED_RELIABLE_KAFKA_OPTIONS,
        useValue: validateOptions({
          client: { clientId: uniqueName('producer-test'), brokers, logLevel: logLevel.NOTHING },
          producer,
        }),
      },
      ...(telemetry ? [{ provide: RELIABLE_KAFKA_TELEMETRY, useValue: telemetry }] : []),
      ReliableProducerService,
    ],
  }).compile();
  await moduleRef.init(); // onApplicationBootstrap: connects
  return { moduleRef, producer: moduleRef.get(ReliableProducerService) };
}

export async function createTopic(brokers: string[], topic: string, numPartitions: number): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** One record as a consumer sees it. */
export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Reads `topic` from the beginning with a fresh group until `count` records arrived (or `waitFor` times out). */
export async function readBack(
  brokers: string[],
  topic: string,
  count: number,
  settleMs = 0,
): Promise<ReadRecord[]> {
  const consumer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).consumer({
    groupId: uniqueName('read-back'),
  });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: textHeaders(message.headers),
        });
      },
    });
    await waitFor(() => records.length >= count, {
      message: () => `${count} records on ${topic}, got ${records.length}`,
    });
    if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs)); // give extra (unwanted) copies a chance to show
    return records;
  } finally {
    await consumer.disconnect();
  }
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = (Array.isArray(value) ? value[0] : value).toString();
  }
  return out;
}

/** Settles to 'pending' | 'resolved' | 'rejected' without waiting. */
export async function promiseState(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  const marker = Symbol('pending');
  try {
    const value = await Promise.race([promise, Promise.resolve(marker)]);
    return value === marker ? 'pending' : 'resolved';
  } catch {
    return 'rejected';
  }
}

/** Every record of `topic` up to each partition's high watermark, read with a fresh group. */
export async function readLog(brokers: string[], topic: string): Promise<ReadRecord[]> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const total = ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  return total === 0 ? [] : readBack(brokers, topic, total);
}

/** Where each message id sits in the log (several places when it was written more than once). */
export function placesById(records: readonly ReadRecord[]): Map<string, string[]> {
  const places = new Map<string, string[]>();
  for (const r of records) {
    const id = r.headers['message-id'];
    places.set(id, [...(places.get(id) ?? []), `${r.partition}@${r.offset}`]);
  }
  return places;
}
