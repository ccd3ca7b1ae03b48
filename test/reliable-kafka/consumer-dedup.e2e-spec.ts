import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  DEDUP_STORE,
  DedupStoreUnavailableError,
  ReliableBatchHandler,
  ReliableKafkaModule,
  type ClaimStatus,
  type DedupStore,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import { MemoryDedupStore } from '../../libs/reliable-kafka/src/dedup';
import { uniqueName, waitFor } from '../support';
import {
  committedOffset,
  createTopic,
  produceJson,
  startApp,
  testOptions,
  useConsumerTestbed,
} from './consumer-test-harness';

jest.setTimeout(90_000);

type Order = { n: number };

function consumerFor(topic: string, groupId: string, seen: ReliableMessage<Order>[]) {
  @Injectable()
  class OrdersConsumer {
    @ReliableBatchHandler({ topic, groupId, fromBeginning: true })
    async handle(messages: ReliableMessage<Order>[]): Promise<void> {
      seen.push(...messages);
    }
  }
  return OrdersConsumer;
}

/**
 * The in-process store behind a switch that makes every call fail the way a real store does when its server is
 * down (DedupStoreUnavailableError). Fault injection for the runtime path; the real stores are tested elsewhere.
 */
class SwitchableStore implements DedupStore {
  down = false;
  failedClaims = 0;
  constructor(private readonly inner: DedupStore) {}
  async claim(group: string, ids: readonly string[]): Promise<ClaimStatus[]> {
    if (this.down) {
      this.failedClaims++;
      throw new DedupStoreUnavailableError('memory', 'claim', new Error('connect ECONNREFUSED'));
    }
    return this.inner.claim(group, ids);
  }
  markDone(group: string, ids: readonly string[]) {
    return this.inner.markDone(group, ids);
  }
  release(group: string, ids: readonly string[]) {
    return this.inner.release(group, ids);
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

describe('reliable consumer with the memory dedup store (real kafkajs over TCP)', () => {
  const bed = useConsumerTestbed();

  it('hands each message id to the handler once and still commits past the duplicates', async () => {
    const topic = uniqueName('orders-dup');
    const groupId = uniqueName('dedup');
    await createTopic(bed.tools, topic);
    const seen: ReliableMessage<Order>[] = [];
    const app = await startApp(
      ReliableKafkaModule.forRoot(testOptions(bed.target.brokers, { dedup: { store: 'memory' } })),
      {
        providers: [consumerFor(topic, groupId, seen)],
      },
    );
    bed.apps.push(app);

    const ids = ['a', 'b', 'a', 'c'];
    await produceJson(
      bed.tools,
      topic,
      [1, 2, 3, 4].map((n) => ({ n })),
      (i) => ({ 'message-id': ids[i] }),
    );
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '4', {
      message: 'batch committed',
    });
    await produceJson(bed.tools, topic, [{ n: 5 }], () => ({ 'message-id': 'b' }));
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '5', {
      message: 'duplicate committed',
    });

    expect(seen.map((m) => [m.id, m.value.n])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 4],
    ]);
  });

  it('waits while the store is unreachable: no handler call, no commit; resumes when it is back', async () => {
    const topic = uniqueName('orders-store-down');
    const groupId = uniqueName('store-down');
    await createTopic(bed.tools, topic);
    const store = new SwitchableStore(new MemoryDedupStore({ claimTtlMs: 60_000, retentionMs: 60_000 }));
    store.down = true;
    const seen: ReliableMessage<Order>[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [ReliableKafkaModule.forRoot(testOptions(bed.target.brokers, { dedup: { store: 'memory' } }))],
      providers: [consumerFor(topic, groupId, seen)],
    })
      .overrideProvider(DEDUP_STORE)
      .useValue(store)
      .compile();
    moduleRef.useLogger(['error']);
    bed.apps.push(moduleRef);
    await moduleRef.init();

    await produceJson(bed.tools, topic, [{ n: 1 }, { n: 2 }], (i) => ({ 'message-id': `m${i}` }));
    // More failed claims than retry.maxAttempts (2): store outages do not use up the handler's attempts.
    await waitFor(() => store.failedClaims >= 5, { message: 'claims attempted while the store is down' });
    expect(seen).toEqual([]);
    expect(await committedOffset(bed.tools, groupId, topic)).toBe('-1');

    store.down = false;
    await waitFor(async () => (await committedOffset(bed.tools, groupId, topic)) === '2', {
      message: 'commit after recovery',
    });
    expect(seen.map((m) => m.value.n)).toEqual([1, 2]);
  });
});
