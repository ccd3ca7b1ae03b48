import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel } from 'kafkajs';
import { ReliableKafkaModule, ReliableProducerService } from 'nestjs-reliable-kafka';
import { performance } from 'node:perf_hooks';
import { orderEvent } from '../scenarios/payload.util';
import type { ContenderResult, ProduceSpec } from '../support/protocol.interface';
import { peakRss, summarize } from '../support/stats.util';
import { report } from './child-channel';

/**
 * Scenario 3: awaited sends with acks=-1 and idempotence, from plain kafkajs and from ours. Every message is an
 * order event object built when it is sent; ours is given the object (it encodes JSON), kafkajs callers stringify.
 */
export interface ProducerRun {
  readonly sent: () => number;
  readonly result: Promise<ContenderResult>;
  close(): Promise<void>;
}

/** `callers` concurrent loops, each awaiting `send()` of one message (or one batch) at a time. */
async function drive(
  total: number,
  callers: number,
  perCall: number,
  send: (i: number) => Promise<unknown>,
  progress: { n: number },
): Promise<ContenderResult> {
  const calls = Math.ceil(total / perCall);
  const latencies = new Float64Array(calls);
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  report({ type: 'measuring', at: performance.timeOrigin + started });
  const caller = async (): Promise<void> => {
    while (next < calls) {
      const i = next++;
      const t = performance.now();
      await send(i);
      latencies[i] = performance.now() - t;
      progress.n = Math.min(total, progress.n + perCall);
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    count: total,
    seconds,
    latency: summarize(latencies),
    peakRssBytes: peakRss(),
    cpuMicros: used.user + used.system,
  };
}

export async function startProducer(spec: ProduceSpec): Promise<ProducerRun> {
  const client = { clientId: `bench-${spec.contender}`, brokers: spec.brokers, logLevel: logLevel.NOTHING };
  const progress = { n: 0 };
  if (spec.contender === 'ours-producer') {
    @Module({ imports: [ReliableKafkaModule.forRoot({ client })] })
    class BenchModule {}
    const app = await NestFactory.createApplicationContext(BenchModule, {
      logger: false,
      abortOnError: false,
    });
    const producer = app.get(ReliableProducerService);
    const result = drive(
      spec.total,
      spec.callers,
      1,
      (i) => producer.send(spec.topic, [{ value: orderEvent(i) }]),
      progress,
    );
    return { sent: () => progress.n, result, close: () => app.close() };
  }
  const producer = new Kafka(client).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  let result: Promise<ContenderResult>;
  if (spec.contender === 'kafkajs-batches') {
    // Built and encoded before the clock starts: this is the ceiling, one awaited request of `batchSize` at a time.
    const batches = Array.from({ length: Math.ceil(spec.total / spec.batchSize) }, (_, b) =>
      Array.from({ length: Math.min(spec.batchSize, spec.total - b * spec.batchSize) }, (_, k) => ({
        value: JSON.stringify(orderEvent(b * spec.batchSize + k)),
      })),
    );
    result = drive(
      spec.total,
      1,
      spec.batchSize,
      (i) => producer.send({ topic: spec.topic, acks: -1, messages: batches[i] }),
      progress,
    );
  } else {
    result = drive(
      spec.total,
      spec.callers,
      1,
      (i) =>
        producer.send({ topic: spec.topic, acks: -1, messages: [{ value: JSON.stringify(orderEvent(i)) }] }),
      progress,
    );
  }
  return { sent: () => progress.n, result, close: () => producer.disconnect() };
}
