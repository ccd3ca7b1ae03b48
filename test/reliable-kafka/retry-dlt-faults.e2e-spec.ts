import { Injectable } from '@nestjs/common';
import { ApiKey, ErrorCode } from '@nrk/embedded-broker';
import { logLevel, type logCreator } from 'kafkajs';
import {
  BatchFailedError,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { requireEmbedded, SHORT_SESSION_TIMEOUTS, uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';
import { CapturingLogger, header, readTopic, startLoggedApp } from './retry-dlt-harness';

jest.setTimeout(90_000);

class RejectedError extends Error {
  override name = 'RejectedError';
}

describe('reliable consumer: dead-letter and backoff under faults (real kafkajs over TCP)', () => {
  // One test uses a 1.5 s session timeout, below Kafka's default minimum: lowered as on a test cluster.
  const bed = useConsumerTestbed({ faults: true, settings: SHORT_SESSION_TIMEOUTS });

  const value = (m: ReliableMessage) => (m.value as { n: number }).n;

  it('commits nothing past a message whose dead letter the broker refuses, and moves on once it is acked', async () => {
    const embedded = requireEmbedded(bed.target);
    const topic = uniqueName('orders-dltdown');
    const groupId = uniqueName('dltdown');
    await createTopic(bed.tools, topic);
    await createTopic(bed.tools, `${topic}.dlt`);
    const effects: number[] = [];

    @Injectable()
    class Consumer {
      @ReliableBatchHandler({
        topic,
        groupId,
        fromBeginning: true,
        retry: { nonRetryable: [RejectedError] },
      })
      async handle(messages: ReliableMessage[]): Promise<void> {
        for (const m of messages) {
          if (value(m) === 2) throw new BatchFailedError(m, new RejectedError('bad order'));
          effects.push(value(m));
        }
      }
    }
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2, 3, 4].map((n) => ({ value: JSON.stringify({ n }) })),
    });
    // From here on, the next produce requests (only the dead-letter producer's) fail as if the ISR were too small.
    embedded.faults.failNext({ apiKey: ApiKey.Produce, errorCode: ErrorCode.NOT_ENOUGH_REPLICAS, count: 9 });
    const logs = new CapturingLogger();
    bed.apps.push(
      await startLoggedApp(
        ReliableKafkaModule.forRoot(testOptions(bed.target.brokers)),
        { providers: [Consumer] },
        logs,
      ),
    );
    await waitFor(() => logs.lines.filter((l) => l.includes('could not dead-letter')).length >= 2, {
      message: 'dead-letter publish refused twice',
    });
    // While the dead letter is not acked: the prefix is committed, the poison and everything after it is not.
    expect(await committedOffset(bed.tools, groupId, topic)).toBe('2');
    expect(effects).toEqual([0, 1]);
    expect(await readTopic(bed.target.brokers, `${topic}.dlt`)).toEqual([]);

    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '5', {
      message: 'committed past the poison once its dead letter was acked',
    });
    expect(effects).toEqual([0, 1, 3, 4]);
    // Every failure path logged a structured entry naming where it happened, without the payload.
    const byEvent = (event: string) => logs.entries.filter((e) => e.event === event);
    const place = { groupId, topic, partition: 0, offset: '2' };
    expect(byEvent('attempt-failed')[0]).toMatchObject({
      ...place,
      error: expect.stringContaining('bad order'),
    });
    expect(byEvent('dead-letter-waiting')[0]).toMatchObject(place);
    expect(byEvent('dead-lettered')).toEqual([expect.objectContaining(place)]);
    const messageId = byEvent('dead-lettered')[0].messageId;
    expect(typeof messageId === 'string' && messageId.length > 0).toBe(true);
    expect(JSON.stringify(logs.entries)).not.toContain('{"n":2}');
    const letters = await readTopic(bed.target.brokers, `${topic}.dlt`);
    expect(letters.map((l) => [header(l, 'x-original-offset'), l.value?.toString()])).toEqual([
      ['2', JSON.stringify({ n: 2 })],
    ]);
  });

  it('keeps the group membership through a backoff longer than the session timeout (no rebalance)', async () => {
    const topic = uniqueName('orders-backoff');
    const groupId = uniqueName('backoff');
    await createTopic(bed.tools, topic);
    const joins: string[] = [];
    const calls: { at: number; offsets: string[] }[] = [];
    const effects: number[] = [];
    // kafkajs logs every (re)join of the group; a second one means the member was evicted and rebalanced.
    const countJoins: logCreator = () => (entry) => {
      const log = entry.log as { message?: string; groupId?: string; memberId?: string };
      if (log.message === 'Consumer has joined the group' && log.groupId === groupId)
        joins.push(String(log.memberId));
    };

    @Injectable()
    class Consumer {
      // Session timeout 1.5 s; the first retry waits 2-4 s (equal jitter over a 4 s delay).
      @ReliableBatchHandler({
        topic,
        groupId,
        fromBeginning: true,
        sessionTimeout: 1_500,
        heartbeatInterval: 300,
        retry: { maxAttempts: 3, initialDelayMs: 4_000, maxDelayMs: 4_000 },
      })
      async handle(messages: ReliableMessage[]): Promise<void> {
        calls.push({ at: Date.now(), offsets: messages.map((m) => m.offset) });
        if (calls.length === 1) throw new BatchFailedError(0, new Error('transient'));
        effects.push(...messages.map(value));
      }
    }
    await bed.tools.producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((n) => ({ value: JSON.stringify({ n }) })),
    });
    const base = testOptions(bed.target.brokers);
    const options = { ...base, client: { ...base.client, logLevel: logLevel.INFO, logCreator: countJoins } };
    bed.apps.push(await startApp(ReliableKafkaModule.forRoot(options), { providers: [Consumer] }));
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '3', {
      timeoutMs: 30_000,
      message: 'committed after the backoff',
    });

    expect(calls.map((c) => c.offsets)).toEqual([
      ['0', '1', '2'],
      ['0', '1', '2'],
    ]);
    // The premise: the wait really outlasted the session timeout.
    expect(calls[1].at - calls[0].at).toBeGreaterThan(1_500);
    expect(effects).toEqual([0, 1, 2]);
    expect(joins).toHaveLength(1);
  });
});
