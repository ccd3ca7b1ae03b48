import type { Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import { DeliveryError } from '../errors/delivery.error';
import { deliverBatch, type PendingSend } from './batch-delivery';
import { PRODUCER_DEFAULTS } from './producer-settings.util';
import { prepareMessage } from './serialize-message.util';
import { StickyPartitioner } from './sticky-partitioner.util';

const tooLarge = Object.assign(new Error('MESSAGE_TOO_LARGE'), { retriable: false });

/** A pending send whose outcome the test reads back. */
function pending(topic: string, values: string[], partition = 0) {
  const outcome: { metadata?: unknown; error?: Error } = {};
  const send: PendingSend = {
    topic,
    messages: values.map((value) => prepareMessage({ value, partition }, 'message-id')),
    deadline: Date.now() + 10_000,
    resolve: (metadata) => (outcome.metadata = metadata),
    reject: (error) => (outcome.error = error),
  };
  return { send, outcome };
}

/** Acks every partition of a request like a broker whose logs start at `next`. */
function fakeProducer(fail: (request: TopicMessages[]) => Error | undefined) {
  const requests: TopicMessages[][] = [];
  const next = new Map<string, number>();
  const sendBatch = jest.fn(async ({ topicMessages }: { topicMessages: TopicMessages[] }) => {
    requests.push(topicMessages);
    const error = fail(topicMessages);
    if (error) throw error;
    const results: RecordMetadata[] = [];
    for (const { topic, messages } of topicMessages) {
      const counts = new Map<number, number>();
      messages.forEach((m) => counts.set(m.partition ?? 0, (counts.get(m.partition ?? 0) ?? 0) + 1));
      for (const [partition, n] of counts) {
        const key = `${topic}/${partition}`;
        const base = next.get(key) ?? 0;
        next.set(key, base + n);
        results.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(base) });
      }
    }
    return results;
  });
  return { producer: { sendBatch } as unknown as Producer, requests };
}

describe('deliverBatch', () => {
  const context = (producer: Producer) => ({
    producer,
    partitioner: new StickyPartitioner(),
    settings: PRODUCER_DEFAULTS,
  });

  it('sends all pending sends in one request and gives each caller its own offsets and ids', async () => {
    const { producer, requests } = fakeProducer(() => undefined);
    const a = pending('t', ['a1', 'a2']);
    const b = pending('u', ['b1']);
    const c = pending('t', ['c1']);
    await deliverBatch(context(producer), [a.send, b.send, c.send]);
    expect(requests).toHaveLength(1);
    expect(requests[0].map((t) => [t.topic, t.messages.map((m) => m.value)])).toEqual([
      ['t', ['a1', 'a2', 'c1']],
      ['u', ['b1']],
    ]);
    expect(a.outcome.metadata).toEqual([
      { topic: 't', partition: 0, offset: '0', messageId: a.send.messages[0].messageId },
      { topic: 't', partition: 0, offset: '1', messageId: a.send.messages[1].messageId },
    ]);
    expect(c.outcome.metadata).toEqual([
      { topic: 't', partition: 0, offset: '2', messageId: c.send.messages[0].messageId },
    ]);
    expect(b.outcome.metadata).toEqual([
      { topic: 'u', partition: 0, offset: '0', messageId: b.send.messages[0].messageId },
    ]);
  });

  it('after a non-retriable failure of a coalesced request, retries each send alone so only the culprit fails', async () => {
    const { producer, requests } = fakeProducer((req) =>
      req.some((t) => t.messages.some((m) => m.value === 'huge')) ? tooLarge : undefined,
    );
    const bad = pending('t', ['huge']);
    const good = pending('t', ['fine']);
    await deliverBatch(context(producer), [bad.send, good.send]);
    expect(requests).toHaveLength(3);
    expect(bad.outcome.error).toBeInstanceOf(DeliveryError);
    expect(bad.outcome.error).toMatchObject({ topic: 't', attempts: 1, cause: tooLarge });
    expect(good.outcome.metadata).toEqual([expect.objectContaining({ topic: 't', offset: '0' })]);
  });

  it('rejects every caller when the response lacks a partition it wrote to (never resolve without an ack)', async () => {
    const sendBatch = jest.fn(async () => [] as RecordMetadata[]);
    const p = pending('t', ['x']);
    await deliverBatch(context({ sendBatch } as unknown as Producer), [p.send]);
    expect(p.outcome.metadata).toBeUndefined();
    expect(p.outcome.error).toBeInstanceOf(DeliveryError);
  });
});
