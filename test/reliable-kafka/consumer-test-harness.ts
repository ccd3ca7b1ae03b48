import type { DynamicModule, ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Kafka, logLevel, type Admin, type IHeaders, type Producer } from 'kafkajs';
import type { ReliableKafkaModuleOptions } from 'nestjs-reliable-kafka';
import { startKafkaTarget, type KafkaTarget, type KafkaTargetOptions } from '../support';

/** Plain kafkajs clients the consumer e2e tests use to seed topics and read committed offsets. */
export interface KafkaTools {
  admin: Admin;
  producer: Producer;
  close(): Promise<void>;
}

export async function kafkaTools(brokers: string[]): Promise<KafkaTools> {
  const kafka = new Kafka({ clientId: 'consumer-e2e-tools', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  return {
    admin,
    producer,
    close: async () => {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

export async function createTopic(tools: KafkaTools, topic: string, numPartitions = 1): Promise<void> {
  await tools.admin.createTopics({
    topics: [{ topic, numPartitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
}

/** Produces JSON values (one request, so they usually arrive in one fetch). */
export async function produceJson(
  tools: KafkaTools,
  topic: string,
  values: unknown[],
  headers: (i: number) => IHeaders | undefined = () => undefined,
): Promise<void> {
  await tools.producer.send({
    topic,
    acks: -1,
    messages: values.map((value, i) => ({ value: JSON.stringify(value), headers: headers(i) })),
  });
}

/** The group's committed offset on `topic` partition `partition`, '-1' when none. */
export async function committedOffset(
  tools: KafkaTools,
  groupId: string,
  topic: string,
  partition = 0,
): Promise<string> {
  const [result] = await tools.admin.fetchOffsets({ groupId, topics: [topic] });
  return result.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
}

/** Module options for tests: fast retries, quiet kafkajs. */
export function testOptions(
  brokers: string[],
  extra: Partial<ReliableKafkaModuleOptions> = {},
): ReliableKafkaModuleOptions {
  return {
    client: { clientId: 'consumer-e2e', brokers, logLevel: logLevel.ERROR },
    consumer: {
      retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 100 },
      heartbeatInterval: 500,
      sessionTimeout: 10_000,
    },
    ...extra,
  };
}

/** Builds and starts (init: discovery + consumers joined) a Nest application context. */
export async function startApp(
  reliableKafka: DynamicModule,
  metadata: ModuleMetadata = {},
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    ...metadata,
    imports: [reliableKafka, ...(metadata.imports ?? [])],
  }).compile();
  moduleRef.useLogger(['error', 'warn']);
  await moduleRef.init();
  return moduleRef;
}

/** What a consumer e2e `describe` block shares: its Kafka target, admin tools, and the apps to close at the end. */
export interface ConsumerTestbed {
  readonly target: KafkaTarget;
  readonly tools: KafkaTools;
  /** Apps pushed here are closed in `afterAll`, before the tools and the target. */
  readonly apps: TestingModule[];
}

/** Registers the `beforeAll` / `afterAll` of a consumer e2e `describe` block and returns what they set up. */
export function useConsumerTestbed(options: KafkaTargetOptions = {}): ConsumerTestbed {
  const bed = { apps: [] as TestingModule[] } as {
    target: KafkaTarget;
    tools: KafkaTools;
    apps: TestingModule[];
  };
  beforeAll(async () => {
    bed.target = await startKafkaTarget(options);
    bed.tools = await kafkaTools(bed.target.brokers);
  });
  afterAll(async () => {
    for (const app of bed.apps) await app.close().catch(() => undefined);
    await bed.tools?.close();
    await bed.target?.stop();
  });
  return bed;
}
