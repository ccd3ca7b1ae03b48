import type { DynamicModule, LoggerService, ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { uniqueName, waitFor } from '../support';

/** Log lines the app wrote (warn and error), to wait for a state the runtime only reports in its logs. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  /** The structured entries (objects with an `event`) the library logged, in order. */
  readonly entries: Array<Record<string, unknown>> = [];
  log(): void {}
  warn(message: unknown): void {
    this.capture(message);
  }
  error(message: unknown): void {
    this.capture(message);
  }
  private capture(message: unknown): void {
    if (message !== null && typeof message === 'object' && 'message' in message) {
      this.entries.push(message as Record<string, unknown>);
      this.lines.push(String(message.message));
    } else this.lines.push(String(message));
  }
  has(fragment: string): boolean {
    return this.lines.some((line) => line.includes(fragment));
  }
}

/** Like the consumer harness' startApp, with the logs captured. */
export async function startLoggedApp(
  reliableKafka: DynamicModule,
  metadata: ModuleMetadata,
  logger: CapturingLogger,
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    ...metadata,
    imports: [reliableKafka, ...(metadata.imports ?? [])],
  }).compile();
  moduleRef.useLogger(logger);
  await moduleRef.init();
  return moduleRef;
}

/**
 * Every record of `topic` up to its high watermark, read by a throwaway consumer group. Reading to the watermark
 * (not "until N arrived") is what lets a test say "exactly these", duplicates included.
 */
export async function readTopic(brokers: string[], topic: string): Promise<KafkaMessage[]> {
  const kafka = new Kafka({ clientId: uniqueName('dlt-reader'), brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const high = offsets.reduce((sum, p) => sum + Number(p.high), 0);
  const seen: KafkaMessage[] = [];
  if (high === 0) return seen;
  const consumer = kafka.consumer({ groupId: uniqueName('dlt-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
    await waitFor(() => seen.length >= high, { message: () => `read ${seen.length}/${high} of ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** A header value as text (kafkajs hands them over as Buffers). */
export function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : last.toString();
}
