import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Registry } from 'prom-client';
import {
  ReliableBatchHandler,
  ReliableKafkaHealthIndicator,
  ReliableKafkaHealthModule,
  ReliableKafkaModule,
  type ReliableKafkaHealthDetails,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { startRedisProcess, uniqueName, waitFor, type RedisProcess } from '../support';
import { createTopic, produceJson, startApp, testOptions, useConsumerTestbed } from './consumer-test-harness';

jest.setTimeout(120_000);

type Job = { n: number; block?: boolean };

/** A handler that blocks on a message with `block: true` until the test releases it. */
class Gate {
  entered = false;
  handled: number[] = [];
  private release: () => void = () => undefined;
  private opened = new Promise<void>((resolve) => (this.release = resolve));
  open(): void {
    this.release();
  }
  async pass(job: Job): Promise<void> {
    if (job.block) {
      this.entered = true;
      await this.opened;
    }
    this.handled.push(job.n);
  }
}

function consumerFor(topic: string, groupId: string, gate: Gate) {
  @Injectable()
  class JobsConsumer {
    @ReliableBatchHandler({ topic, groupId, fromBeginning: true, maxProcessingTimeMs: 1_000 })
    async handle(messages: ReliableMessage<Job>[]): Promise<void> {
      for (const m of messages) await gate.pass(m.value);
    }
  }
  return JobsConsumer;
}

type Health = { status: string } & ReliableKafkaHealthDetails;

describe('ReliableKafkaHealthIndicator (real kafkajs, real redis-server)', () => {
  const bed = useConsumerTestbed();
  const topic = uniqueName('health');
  const groupId = uniqueName('health-group');
  const gate = new Gate();
  let redis: RedisProcess;
  let app: TestingModule;

  const health = async (): Promise<Health> => {
    const result = await app.get(ReliableKafkaHealthIndicator).isHealthy('kafka');
    return result.kafka as Health;
  };
  const healthIs = (status: 'up' | 'down', also: (h: Health) => boolean = () => true) => {
    let last: Health | undefined;
    return waitFor(
      async () => {
        last = await health();
        return last.status === status && also(last);
      },
      { timeoutMs: 30_000, message: () => `health ${status}; last seen ${JSON.stringify(last)}` },
    );
  };

  beforeAll(async () => {
    redis = await startRedisProcess();
    await createTopic(bed.tools, topic, 2);
    app = await startApp(
      ReliableKafkaModule.forRoot(
        testOptions(bed.target.brokers, {
          dedup: { store: 'redis', url: redis.url, keyPrefix: uniqueName('health') },
          metrics: { registry: new Registry() },
        }),
      ),
      { imports: [ReliableKafkaHealthModule], providers: [consumerFor(topic, groupId, gate)] },
    );
    bed.apps.push(app);
  });

  afterAll(async () => {
    gate.open();
    await app?.close().catch(() => undefined);
    await redis?.stop();
  });

  it('is up with the consumer connected and both partitions assigned, the store reachable and the producer connected', async () => {
    await healthIs('up');
    const h = await health();
    expect(h.consumers).toEqual([
      expect.objectContaining({
        handler: 'JobsConsumer.handle',
        groupId,
        connected: true,
        joined: true,
      }),
    ]);
    expect([...h.consumers[0].assigned[topic]].sort()).toEqual([0, 1]);
    expect(h.dedupStore).toEqual({ store: 'redis', reachable: true });
    expect(h.producer).toEqual({ connected: true });
    expect(h.stuckCalls).toEqual([]);
    expect(h.problems).toEqual([]);
  });

  it('goes down when its Redis stops and up again when it returns', async () => {
    await healthIs('up');
    await redis.stop();
    await healthIs('down', (h) => !h.dedupStore.reachable);
    expect((await health()).problems).toEqual([expect.stringContaining('dedup store unreachable')]);
    await redis.start();
    await healthIs('up', (h) => h.dedupStore.reachable);
  });

  it('goes down while a handler call runs past maxProcessingTimeMs and up once it ends', async () => {
    await healthIs('up');
    await produceJson(bed.tools, topic, [{ n: 1, block: true }]);
    await waitFor(() => gate.entered, { message: 'the blocking message reached the handler' });
    await healthIs('down', (h) => h.stuckCalls.length === 1);
    const [stuck] = (await health()).stuckCalls;
    expect(stuck).toEqual(
      expect.objectContaining({ handler: 'JobsConsumer.handle', groupId, topic, maxProcessingTimeMs: 1_000 }),
    );
    expect(stuck.runningForMs).toBeGreaterThan(1_000);
    gate.open();
    await healthIs('up', (h) => h.stuckCalls.length === 0);
    expect(gate.handled).toContain(1);
  });

  it('goes down with the consumer disconnected and the producer closed once the app shuts down', async () => {
    await healthIs('up');
    await app.close();
    const h = await health();
    expect(h.status).toBe('down');
    expect(h.consumers).toEqual([expect.objectContaining({ connected: false, joined: false, assigned: {} })]);
    expect(h.producer).toEqual({ connected: false });
    expect(h.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('disconnected'), 'reliable producer is not connected']),
    );
  });
});
