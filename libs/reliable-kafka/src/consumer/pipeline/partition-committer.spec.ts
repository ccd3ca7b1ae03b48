import type { EachBatchPayload } from 'kafkajs';
import { record } from './batch-runner.fixtures';
import { PartitionCommitter } from './partition-committer';

interface PendingCommit {
  offset: string;
  settle(error?: Error): void;
}

/** A payload whose commits stay in flight until the test settles them. */
function manualPayload(offsets: number[]) {
  const messages = offsets.map((o) => record(o));
  const sent: PendingCommit[] = [];
  const resolved: string[] = [];
  const state = { stale: false };
  const payload = {
    batch: {
      topic: 't',
      partition: 0,
      messages,
      lastOffset: () => messages[messages.length - 1].offset,
    },
    commitOffsetsIfNecessary: (o: { topics: { partitions: { offset: string }[] }[] }) =>
      new Promise<void>((resolve, reject) => {
        sent.push({
          offset: o.topics[0].partitions[0].offset,
          settle: (error) => (error ? reject(error) : resolve()),
        });
      }),
    resolveOffset: (offset: string) => void resolved.push(offset),
    isStale: () => state.stale,
  } as unknown as EachBatchPayload;
  const stale = { now: () => state.stale };
  return { payload, messages, sent, resolved, state, stale };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PartitionCommitter', () => {
  it('keeps one commit in flight and coalesces later completions into the next one', async () => {
    const { payload, stale, messages, sent, resolved } = manualPayload([0, 1, 2, 3, 4, 5]);
    const c = new PartitionCommitter(payload, stale);
    c.begin(messages);
    c.complete(messages.slice(0, 1));
    c.complete(messages.slice(1, 2));
    c.complete(messages.slice(2, 3));
    expect(sent.map((s) => s.offset)).toEqual(['1']);
    sent[0].settle();
    await tick();
    expect(sent.map((s) => s.offset)).toEqual(['1', '3']);
    expect(resolved).toEqual(['0']);
    const flushed = c.flush();
    sent[1].settle();
    await flushed;
    expect(resolved).toEqual(['0', '2']);
    expect(sent).toHaveLength(2);
  });

  it('never commits past an unfinished offset completed around out of order', async () => {
    const { payload, stale, messages, sent } = manualPayload([0, 1, 2, 5, 9]);
    const c = new PartitionCommitter(payload, stale);
    c.begin(messages);
    c.complete([messages[2], messages[4]]);
    expect(sent).toHaveLength(0);
    c.complete([messages[0], messages[1]]);
    expect(sent.map((s) => s.offset)).toEqual(['3']);
    sent[0].settle();
    await c.flush();
    c.complete([messages[3]]);
    const done = c.flush();
    await tick();
    sent[1].settle();
    await done;
    // the batch's last record: commit past the batch's last offset (a control record may follow it)
    expect(sent.map((s) => s.offset)).toEqual(['3', '10']);
  });

  it('flush waits for the final commit and sends what completed after the last request', async () => {
    const { payload, stale, messages, sent } = manualPayload([0, 1]);
    const c = new PartitionCommitter(payload, stale);
    c.begin(messages);
    c.complete([messages[0]]);
    c.complete([messages[1]]);
    let flushed = false;
    const flushing = c.flush().then(() => (flushed = true));
    sent[0].settle();
    await tick();
    expect(flushed).toBe(false);
    expect(sent.map((s) => s.offset)).toEqual(['1', '2']);
    sent[1].settle();
    await flushing;
    expect(flushed).toBe(true);
  });

  it('stops after a failed commit and hands the error to flush, without resolving', async () => {
    const { payload, stale, messages, sent, resolved } = manualPayload([0, 1, 2]);
    const onCommit = jest.fn();
    const c = new PartitionCommitter(payload, stale, onCommit);
    c.begin(messages);
    c.complete([messages[0]]);
    c.complete([messages[1]]);
    const rebalance = Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    sent[0].settle(rebalance);
    await expect(c.flush()).rejects.toBe(rebalance);
    expect(c.failed).toBe(true);
    c.complete([messages[2]]);
    expect(sent).toHaveLength(1);
    expect(resolved).toEqual([]);
    expect(onCommit).toHaveBeenCalledWith(expect.any(Number), false);
  });

  it('sends nothing once the partition is stale, and does not call that a failure', async () => {
    const { payload, stale, messages, sent, state } = manualPayload([0, 1]);
    const c = new PartitionCommitter(payload, stale);
    c.begin(messages);
    c.complete([messages[0]]);
    c.complete([messages[1]]);
    state.stale = true;
    sent[0].settle();
    await c.flush();
    expect(sent.map((s) => s.offset)).toEqual(['1']);
    expect(c.failed).toBe(false);
  });

  it('accepts records begun again (lanes may begin what the batch began up front)', async () => {
    const { payload, stale, messages, sent } = manualPayload([0]);
    const c = new PartitionCommitter(payload, stale);
    c.begin(messages);
    c.begin(messages);
    c.complete(messages);
    const done = c.flush();
    await tick();
    sent[0].settle();
    await done;
    expect(sent.map((s) => s.offset)).toEqual(['1']);
  });

  it('flush() waits for tracked work that completes records, then commits them', async () => {
    const { payload, stale, messages, sent } = manualPayload([0, 1]);
    const c = new PartitionCommitter(payload, stale);
    c.begin(messages);
    let land: () => void = () => undefined;
    c.track(new Promise<void>((resolve) => (land = resolve)).then(() => c.complete(messages)));
    let flushed = false;
    const flushing = c.flush().then(() => (flushed = true));
    await tick();
    expect(sent).toHaveLength(0); // nothing completed yet: nothing to commit
    expect(flushed).toBe(false);
    land();
    await tick();
    expect(sent.map((s) => s.offset)).toEqual(['2']);
    sent[0].settle();
    await flushing;
    expect(flushed).toBe(true);
  });

  it('flush() does not commit records whose tracked work failed', async () => {
    const { payload, stale, messages, sent } = manualPayload([0, 1]);
    const c = new PartitionCommitter(payload, stale);
    c.begin(messages);
    c.track(Promise.reject(new Error('store down')));
    await c.flush();
    expect(sent).toHaveLength(0);
  });

  it('waits the minimum interval between two commits, except for the flush at the end of the batch', async () => {
    const { payload, stale, messages, sent } = manualPayload([0, 1, 2, 3]);
    const c = new PartitionCommitter(payload, stale, undefined, 40);
    c.begin(messages);
    c.complete(messages.slice(0, 1));
    sent[0].settle();
    c.complete(messages.slice(1, 2));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent.map((s) => s.offset)).toEqual(['1']); // the second waits for the interval
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent.map((s) => s.offset)).toEqual(['1', '2']);
    sent[1].settle();
    c.complete(messages.slice(2, 4));
    await tick();
    expect(sent).toHaveLength(2); // waiting again...
    const flushed = c.flush(); // ...until the batch ends: then at once
    await tick();
    expect(sent.map((s) => s.offset)).toEqual(['1', '2', '4']);
    sent[2].settle();
    await flushed;
  });
});
