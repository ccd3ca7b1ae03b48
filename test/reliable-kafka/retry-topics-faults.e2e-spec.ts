import { Injectable } from '@nestjs/common';
import { ApiKey, ErrorCode } from '@nrk/embedded-broker';
import {
  BatchFailedError,
  Messages,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { requireEmbedded, uniqueName, waitFor } from '../support';
import { committedOffset, createTopic, testOptions, useConsumerTestbed } from './consumer-test-harness';
import { CapturingLogger, header, readTopic, startLoggedApp } from './retry-dlt-harness';

jest.setTimeout(90_000);

describe('reliable consumer: retry topics under broker faults (real kafkajs over TCP)', () => {
  const bed = useConsumerTestbed({ faults: true });

  it("awaits the last stage's dead letter before committing past it, while the broker refuses it", async () => {
    const embedded = requireEmbedded(bed.target);
    const topic = uniqueName('orders-rt-dltdown');
    const groupId = uniqueName('rt-dltdown');
    // The last stage waits long enough for the test to arm the fault after the record reached it.
    const delaysMs = [100, 2000];
    const lastStage = `${topic}.retry.2000`;
    for (const t of [topic, `${topic}.retry.100`, lastStage, `${topic}.dlt`]) await createTopic(bed.tools, t);
    const attempts: string[] = [];
    const effects: number[] = [];

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({ topic, groupId, fromBeginning: true, retryTopics: { delaysMs } })
      async handle(@Messages() messages: ReliableMessage[]): Promise<void> {
        for (const m of messages) {
          const n = (m.value as { n: number }).n;
          if (n === 1) {
            attempts.push(m.topic);
            throw new BatchFailedError(m, new Error('always fails'));
          }
          effects.push(n);
        }
      }
    }
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((n) => ({ value: JSON.stringify({ n }) })),
    });
    const logs = new CapturingLogger();
    bed.apps.push(
      await startLoggedApp(
        ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)),
        { providers: [Consumer] },
        logs,
      ),
    );
    await waitFor(() => logs.lines.some((l) => l.includes('forwarded') && l.includes(`"${lastStage}"`)), {
      message: 'forwarded to the last stage',
    });
    // From here on the only producer is the library's: the next produce requests are the last stage's dead letter.
    embedded.faults.failNext({ apiKey: ApiKey.Produce, errorCode: ErrorCode.NOT_ENOUGH_REPLICAS, count: 9 });
    await waitFor(() => logs.lines.filter((l) => l.includes('could not dead-letter')).length >= 2, {
      message: 'dead letter refused twice',
    });
    expect(await committedOffset(bed.tools, `${groupId}.retry`, lastStage)).not.toBe('1');
    expect(await readTopic(bed.target.brokers, `${topic}.dlt`)).toEqual([]);

    await waitFor(async () => (await committedOffset(bed.tools, `${groupId}.retry`, lastStage)) === '1', {
      message: 'committed past the last stage once its dead letter was acked',
    });
    expect(attempts).toEqual([topic, `${topic}.retry.100`, lastStage]);
    expect(effects).toEqual([0, 2]);
    const letters = await readTopic(bed.target.brokers, `${topic}.dlt`);
    expect(
      letters.map((l) => [header(l, 'x-original-offset'), header(l, 'x-attempts'), l.value?.toString()]),
    ).toEqual([['1', '3', JSON.stringify({ n: 1 })]]);
  });
});
