import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { ConsumeSpec, SlowIoSpec } from '../support/protocol.interface';
import type { ConsumeSink } from './consume-sink';
import { pool, sleep, workOf, type DrainClock } from './slow-io.util';

/** Plain kafkajs consumers: what a user writes without a framework. Client defaults throughout. */
async function connect(spec: ConsumeSpec | SlowIoSpec): Promise<Consumer> {
  const kafka = new Kafka({
    clientId: `bench-${spec.contender}`,
    brokers: spec.brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: spec.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: spec.topic, fromBeginning: true });
  return consumer;
}

/** Scenarios 1/4: eachBatch with auto-commit and auto-resolve (the unsafe baseline), or eachMessage. */
export async function startKafkajsConsumer(
  spec: ConsumeSpec,
  sink: ConsumeSink,
): Promise<() => Promise<void>> {
  const consumer = await connect(spec);
  if (spec.contender === 'kafkajs-each-batch') {
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) sink.record(m.timestamp);
      },
    });
  } else {
    await consumer.run({ eachMessage: async ({ message }) => sink.record(message.timestamp) });
  }
  return () => consumer.disconnect();
}

/** Scenario 2: eachMessage (one at a time per partition) or eachBatch with a 100-wide unordered worker pool. */
export async function startKafkajsSlowIo(spec: SlowIoSpec, clock: DrainClock): Promise<() => Promise<void>> {
  const consumer = await connect(spec);
  const handle = async (value: Buffer | null): Promise<void> => {
    clock.started();
    await sleep(workOf(value));
    clock.done();
  };
  if (spec.contender === 'kafkajs-each-batch-pool') {
    await consumer.run({
      eachBatch: async ({ batch, heartbeat }) => {
        await pool(batch.messages, spec.concurrency, (m) => handle(m.value));
        await heartbeat();
      },
    });
  } else {
    await consumer.run({ eachMessage: ({ message }) => handle(message.value) });
  }
  return () => consumer.disconnect();
}
