import type { Batch, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { DEAD_LETTER_HEADERS as H } from './dead-letter-headers.util';
import { RETRY_HEADERS as R } from './retry-headers.util';
import { RetryStageGate } from './retry-stage-gate';

const record = (offset: number, dueAt: number, group = 'g'): KafkaMessage =>
  ({
    offset: String(offset),
    key: null,
    value: Buffer.from('v'),
    headers: { [R.dueAt]: String(dueAt), [H.consumerGroup]: group },
    timestamp: '0',
    attributes: 0,
  }) as KafkaMessage;

/** A kafkajs payload that records pauses, resumes, commits and resolved offsets. */
function payload(messages: KafkaMessage[], events: string[]): EachBatchPayload {
  const batch = {
    topic: 't.retry.100',
    partition: 0,
    highWatermark: '100',
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0]?.offset ?? null,
    lastOffset: () => messages[messages.length - 1].offset,
    offsetLag: () => '0',
    offsetLagLow: () => '0',
  } satisfies Batch;
  return {
    batch,
    resolveOffset: (offset: string) => void events.push(`resolve ${offset}`),
    heartbeat: async () => undefined,
    pause: () => {
      events.push('pause');
      return () => void events.push('resume');
    },
    commitOffsetsIfNecessary: async (offsets?: { topics: { partitions: { offset: string }[] }[] }) =>
      void events.push(`commit ${offsets?.topics[0].partitions[0].offset}`),
    uncommittedOffsets: () => ({ topics: [] }),
    isRunning: () => true,
    isStale: () => false,
  } as unknown as EachBatchPayload;
}

/** A runner that handles (resolves) every record it is given, unless told to stop after `limit`. */
function runner(events: string[], limit = Infinity) {
  return async (p: EachBatchPayload) => {
    events.push(`run ${p.batch.messages.map((m) => m.offset).join(',')} last=${p.batch.lastOffset()}`);
    for (const m of p.batch.messages.slice(0, limit)) p.resolveOffset(m.offset);
  };
}

describe('RetryStageGate', () => {
  let now = 1000;
  const gate = new RetryStageGate('g', () => now);
  afterAll(() => gate.close());
  beforeEach(() => (now = 1000));

  it('hands due records over and pauses at the first that is not due, without resolving it', async () => {
    const events: string[] = [];
    await gate.wrap(runner(events))(
      payload([record(0, 900), record(1, 1000), record(2, 1200), record(3, 1300)], events),
    );
    expect(events).toEqual(['run 0,1 last=1', 'resolve 0', 'resolve 1', 'pause']);
  });

  it('resumes the partition once the record is due', async () => {
    jest.useFakeTimers();
    try {
      const events: string[] = [];
      await gate.wrap(runner(events))(payload([record(5, 1500)], events));
      expect(events).toEqual(['pause']);
      jest.advanceTimersByTime(499);
      expect(events).toEqual(['pause']);
      jest.advanceTimersByTime(1);
      expect(events).toEqual(['pause', 'resume']);
    } finally {
      jest.useRealTimers();
    }
  });

  it("commits past another group's records without handing them over", async () => {
    const events: string[] = [];
    await gate.wrap(runner(events))(
      payload([record(0, 0, 'other'), record(1, 0), record(2, 0, 'other')], events),
    );
    expect(events).toEqual(['commit 1', 'resolve 0', 'run 1 last=1', 'resolve 1', 'commit 3', 'resolve 2']);
  });

  it('stops when the runner did not finish its records (a rebalance, a shutdown)', async () => {
    const events: string[] = [];
    await gate.wrap(runner(events, 1))(payload([record(0, 0), record(1, 0), record(2, 0, 'other')], events));
    expect(events).toEqual(['run 0,1 last=1', 'resolve 0']);
  });
});
