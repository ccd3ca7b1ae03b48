import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel } from 'kafkajs';
import { ReliableKafkaModule, ReliableProducerService } from 'nestjs-reliable-kafka';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { orderEvent } from '../scenarios/payload.util';
import type { ContenderResult, OutageSpec } from '../support/protocol.interface';
import { peakRss } from '../support/stats.util';
import { report } from './child-channel';

/** One contender's way to send message i: resolves with the id the message carries, rejects as the client does. */
interface Sender {
  send(i: number): Promise<string>;
  /** The id of message i when its send was rejected with `error`. */
  idOnError(i: number, error: unknown): string;
  close(): Promise<void>;
}

export interface OutageRun {
  readonly settled: () => number;
  readonly result: Promise<ContenderResult>;
  close(): Promise<void>;
}

/** DeliveryError.outcome when the error has one (the rewritten producer), else the error's name. */
function rejectionKind(error: unknown): string {
  const outcome = (error as { outcome?: unknown } | null)?.outcome;
  if (typeof outcome === 'string') return outcome;
  return error instanceof Error ? error.name : 'non-error rejection';
}

async function oursSender(spec: OutageSpec): Promise<Sender> {
  const client = { clientId: `bench-${spec.contender}`, brokers: spec.brokers, logLevel: logLevel.NOTHING };
  @Module({ imports: [ReliableKafkaModule.forRoot({ client })] })
  class OutageModule {}
  const app = await NestFactory.createApplicationContext(OutageModule, {
    logger: false,
    abortOnError: false,
  });
  const producer = app.get(ReliableProducerService);
  return {
    send: (i) =>
      producer.send(spec.topic, [{ value: orderEvent(i, true) }]).then((metadata) => metadata[0].messageId),
    idOnError: (_, error) => (error as { messageIds?: string[] }).messageIds?.[0] ?? '',
    close: () => app.close(),
  };
}

async function kafkajsSender(spec: OutageSpec): Promise<Sender> {
  const kafka = new Kafka({
    clientId: `bench-${spec.contender}`,
    brokers: spec.brokers,
    logLevel: logLevel.NOTHING,
  });
  // kafkajs defaults otherwise: unlimited requests in flight, retries without limit for an idempotent producer.
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  const id = (i: number): string => `kafkajs-${i}`;
  return {
    send: (i) =>
      producer
        .send({
          topic: spec.topic,
          acks: -1,
          messages: [{ value: JSON.stringify(orderEvent(i, true)), headers: { 'message-id': id(i) } }],
        })
        .then(() => id(i)),
    idOnError: (i) => id(i),
    close: () => producer.disconnect(),
  };
}

/**
 * Scenario 5: an open loop. A timer issues send i at `i / rate` seconds whether or not earlier sends have settled,
 * and each send is awaited on its own; its latency counts from when it was due, so a stalled event loop shows up.
 */
export async function startOutageProducer(spec: OutageSpec): Promise<OutageRun> {
  const sender = spec.contender === 'ours-producer' ? await oursSender(spec) : await kafkajsSender(spec);
  const total = Math.round((spec.rate * spec.durationMs) / 1000);
  const status = new Array<string>(total).fill('pending');
  const latencyMs = new Array<number>(total).fill(-1);
  const ids = new Array<string>(total).fill('');
  let settled = 0;
  let allSettled!: () => void;
  const done = new Promise<void>((resolve) => (allSettled = resolve));

  const t0 = performance.now();
  const cpu = process.cpuUsage();
  report({ type: 'measuring', at: performance.timeOrigin + t0 });
  const issue = (i: number): void => {
    const due = t0 + (i * 1000) / spec.rate;
    const settle = (how: string, id: string): void => {
      latencyMs[i] = performance.now() - due;
      status[i] = how;
      ids[i] = id;
      if (++settled === total) allSettled();
    };
    let sent: Promise<string>;
    try {
      sent = sender.send(i);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      (id) => settle('ok', id),
      (error: unknown) => settle(rejectionKind(error), sender.idOnError(i, error)),
    );
  };
  let issued = 0;
  const tick = (): void => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * spec.rate) / 1000) + 1);
    while (issued < due) issue(issued++);
    if (issued < total) setTimeout(tick, 1);
  };
  tick();

  const result = (async (): Promise<ContenderResult> => {
    await sleep(Math.max(0, t0 + spec.durationMs - performance.now()));
    const settleTimer = sleep(spec.settleMs, undefined, { ref: false });
    await Promise.race([done, settleTimer]);
    const used = process.cpuUsage(cpu);
    return {
      count: issued,
      seconds: (performance.now() - t0) / 1000,
      peakRssBytes: peakRss(),
      cpuMicros: used.user + used.system,
      sends: {
        startedAt: performance.timeOrigin + t0,
        status: status.slice(),
        latencyMs: latencyMs.slice(),
        ids: ids.slice(),
      },
    };
  })();
  return { settled: () => settled, result, close: () => sender.close() };
}
