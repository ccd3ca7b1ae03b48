import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Ctx,
  EventPattern,
  KafkaContext,
  Payload,
  Transport,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import type { ConsumeSpec, SlowIoSpec } from '../support/protocol.interface';
import type { ConsumeSink } from './consume-sink';
import { sleep, type DrainClock } from './slow-io.util';

/**
 * A real Nest microservice with `@nestjs/microservices`' ServerKafka (Transport.KAFKA) and an `@EventPattern`
 * handler, all defaults except the logger (off, as for every contender).
 */
export async function startNestConsumer(
  spec: ConsumeSpec | SlowIoSpec,
  target: { sink?: ConsumeSink; clock?: DrainClock },
): Promise<() => Promise<void>> {
  const { sink, clock } = target;

  @Controller()
  class BenchController {
    @EventPattern(spec.topic)
    async handle(@Payload() data: { ms?: number }, @Ctx() context: KafkaContext): Promise<void> {
      if (sink) return sink.record(context.getMessage().timestamp);
      clock!.started();
      await sleep(data.ms ?? 0);
      clock!.done();
    }
  }

  @Module({ controllers: [BenchController] })
  class BenchModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(BenchModule, {
    logger: false,
    abortOnError: false,
    transport: Transport.KAFKA,
    options: {
      client: { clientId: `bench-${spec.contender}`, brokers: spec.brokers, logLevel: logLevel.NOTHING },
      consumer: { groupId: spec.groupId },
      subscribe: { fromBeginning: true },
    },
  });
  await app.listen();
  return () => app.close();
}
