import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import {
  BatchFailedError,
  DeserializationError,
  Messages,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';
import { header, readTopic } from './retry-dlt-harness';

jest.setTimeout(90_000);

class PoisonError extends Error {
  override name = 'PoisonError';
}
class RejectedError extends Error {
  override name = 'RejectedError';
}

describe('reliable consumer: retries and the dead-letter topic (real kafkajs over TCP)', () => {
  const bed = useConsumerTestbed();

  const value = (m: ReliableMessage) => (m.value as { n: number }).n;

  it('commits before a poison message, dead-letters it with its origin and error after maxAttempts, then goes on', async () => {
    const topic = uniqueName('orders-dlt');
    const groupId = uniqueName('dlt');
    await createTopic(bed.tools, topic);
    const effects: { n: number; poisonAttemptsBefore: number }[] = [];
    let poisonAttempts = 0;

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, retry: { maxAttempts: 3 } })
      async handle(messages: ReliableMessage[]): Promise<void> {
        for (const m of messages) {
          if (value(m) === 3) {
            poisonAttempts++;
            throw new BatchFailedError(m, new PoisonError('order 3 cannot be billed'));
          }
          effects.push({ n: value(m), poisonAttemptsBefore: poisonAttempts });
        }
      }
    }
    // Odd but valid JSON bytes and a binary header: the dead letter must carry them unchanged.
    const poisonBytes = Buffer.from('{ "n" : 3, "note": "caf\u00e9" }', 'utf8');
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 10 }, (_, n) => ({
        key: `k-${n}`,
        value: n === 3 ? poisonBytes : JSON.stringify({ n }),
        headers: { 'message-id': `id-${n}`, bin: Buffer.from([0, 255, n]) },
      })),
    });
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [Consumer] }),
    );

    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '10', {
      message: () => `everything committed (effects ${effects.map((e) => e.n).join(',')})`,
    });
    // 0-2 before the poison, once each; 4-9 only after its last attempt, once each; the poison never.
    expect(effects.map((e) => e.n)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(effects.filter((e) => e.n >= 4).every((e) => e.poisonAttemptsBefore === 3)).toBe(true);
    expect(poisonAttempts).toBe(3);

    const [source] = (await readTopic(bed.target.brokers, topic)).filter((m) => m.offset === '3');
    const letters = await readTopic(bed.target.brokers, `${topic}.dlt`);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter.key?.toString()).toBe('k-3');
    expect(letter.value?.equals(poisonBytes)).toBe(true);
    expect(header(letter, 'message-id')).toBe('id-3');
    expect((letter.headers?.bin as Buffer).equals(Buffer.from([0, 255, 3]))).toBe(true);
    expect({
      topic: header(letter, 'x-original-topic'),
      partition: header(letter, 'x-original-partition'),
      offset: header(letter, 'x-original-offset'),
      timestamp: header(letter, 'x-original-timestamp'),
      group: header(letter, 'x-original-consumer-group'),
      errorClass: header(letter, 'x-error-class'),
      errorMessage: header(letter, 'x-error-message'),
      attempts: header(letter, 'x-attempts'),
    }).toEqual({
      topic,
      partition: '0',
      offset: '3',
      timestamp: source.timestamp,
      group: groupId,
      errorClass: 'PoisonError',
      errorMessage: 'order 3 cannot be billed',
      attempts: '3',
    });
    expect(header(letter, 'x-error-stack')).toContain('PoisonError: order 3 cannot be billed');
  });

  it("dead-letters a non-retryable error after a single attempt, to the handler's own dead-letter topic", async () => {
    const topic = uniqueName('orders-reject');
    const dlt = uniqueName('rejected');
    const groupId = uniqueName('reject');
    await createTopic(bed.tools, topic);
    const seen: number[] = [];

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({
        topic,
        groupId,
        fromBeginning: true,
        deadLetterTopic: dlt,
        retry: { maxAttempts: 5, nonRetryable: [RejectedError] },
      })
      async handle(messages: ReliableMessage[]): Promise<void> {
        for (const m of messages) {
          seen.push(value(m));
          if (value(m) === 1) throw new BatchFailedError(m, new RejectedError('invalid currency'));
        }
      }
    }
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((n) => ({ value: JSON.stringify({ n }) })),
    });
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [Consumer] }),
    );
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '3', {
      message: 'committed',
    });

    expect(seen.filter((n) => n === 1)).toHaveLength(1);
    expect(seen).toEqual([0, 1, 2]);
    const letters = await readTopic(bed.target.brokers, dlt);
    expect(
      letters.map((l) => [
        header(l, 'x-original-offset'),
        header(l, 'x-error-class'),
        header(l, 'x-attempts'),
      ]),
    ).toEqual([['1', 'RejectedError', '1']]);
  });

  it('dead-letters a payload that is not JSON with the reason, without giving it to the handler', async () => {
    const topic = uniqueName('orders-garbage');
    const groupId = uniqueName('garbage');
    await createTopic(bed.tools, topic);
    const seen: number[] = [];

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true })
      async handle(messages: ReliableMessage[]): Promise<void> {
        seen.push(...messages.map(value));
      }
    }
    const garbage = Buffer.from('{"n": 1, oops', 'utf8');
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [
        { value: JSON.stringify({ n: 0 }) },
        { key: 'g', value: garbage },
        { value: JSON.stringify({ n: 2 }) },
      ],
    });
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [Consumer] }),
    );
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '3', {
      message: 'committed',
    });

    expect(seen).toEqual([0, 2]);
    const letters = await readTopic(bed.target.brokers, `${topic}.dlt`);
    expect(letters).toHaveLength(1);
    expect(letters[0].value?.equals(garbage)).toBe(true);
    expect(letters[0].key?.toString()).toBe('g');
    expect(header(letters[0], 'x-error-class')).toBe('DeserializationError');
    expect(header(letters[0], 'x-error-message')).toMatch(
      new RegExp(`^Cannot deserialize the value of ${topic}\\[0\\]@1: .*JSON`),
    );
    expect(header(letters[0], 'x-attempts')).toBe('1');
  });

  it('dead-letters a message that fails validation in a user pipe, with the reason, and handles the others once', async () => {
    const topic = uniqueName('orders-invalid');
    const groupId = uniqueName('invalid');
    await createTopic(bed.tools, topic);
    const effects: number[] = [];

    // Validates the whole batch and names no message: the runtime has to find the bad one itself.
    class PositiveAmounts implements PipeTransform<ReliableMessage[], ReliableMessage[]> {
      transform(messages: ReliableMessage[]): ReliableMessage[] {
        const bad = messages.find((m) => (m.value as { amount: number }).amount <= 0);
        if (bad) throw new BadRequestException(`order ${value(bad)}: amount must be positive`);
        return messages;
      }
    }

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({
        topic,
        groupId,
        fromBeginning: true,
        retry: { nonRetryable: [DeserializationError, BadRequestException] },
      })
      async handle(@Messages(PositiveAmounts) messages: ReliableMessage[]): Promise<void> {
        effects.push(...messages.map(value));
      }
    }
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2, 3].map((n) => ({ value: JSON.stringify({ n, amount: n === 1 ? -5 : 10 }) })),
    });
    bed.apps.push(
      await startApp(ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)), { providers: [Consumer] }),
    );
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '4', {
      message: 'committed',
    });

    expect(effects).toEqual([0, 2, 3]);
    const letters = await readTopic(bed.target.brokers, `${topic}.dlt`);
    expect(
      letters.map((l) => [
        header(l, 'x-original-offset'),
        header(l, 'x-error-class'),
        header(l, 'x-error-message'),
        header(l, 'x-attempts'),
      ]),
    ).toEqual([['1', 'BadRequestException', 'order 1: amount must be positive', '1']]);
  });
});
