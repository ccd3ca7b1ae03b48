import { Inject, Injectable, Logger, type Type } from '@nestjs/common';
import { Messages, ReliableBatchHandler, TxManager, type ReliableMessage } from 'nestjs-reliable-kafka';
import { DataSource, type EntityManager } from 'typeorm';
import { DemoStats } from './demo-stats.service';
import { OrderEntity, type OrderPlaced } from './order.entity';

/** How the orders handler is wired for this run. */
export interface OrdersConsumerSettings {
  topic: string;
  groupId: string;
  /** true: the dedup rows commit in the handler's transaction (Postgres store); false: Redis/memory store. */
  transactional: boolean;
}

/**
 * The orders handler. Built by a factory only because the demo picks its dedup mode at startup; an app with a
 * fixed setup would simply decorate a class.
 */
export function ordersConsumer(settings: OrdersConsumerSettings): Type<unknown> {
  @Injectable()
  class OrdersConsumer {
    private readonly logger = new Logger('OrdersConsumer');

    constructor(
      @Inject(DataSource) private readonly dataSource: DataSource,
      @Inject(DemoStats) private readonly stats: DemoStats,
    ) {}

    @ReliableBatchHandler({
      topic: settings.topic,
      groupId: settings.groupId,
      fromBeginning: true,
      maxBatchSize: 20,
      dedup: settings.transactional ? { transactional: true } : true,
      retry: { maxAttempts: 5, initialDelayMs: 50, maxDelayMs: 500 },
    })
    async handle(
      @Messages() messages: ReliableMessage<OrderPlaced>[],
      @TxManager() tx?: EntityManager,
    ): Promise<void> {
      // Fail before writing anything: the whole batch is retried (and in transactional mode rolled back anyway).
      const failing = messages.filter((m) => m.value.failOnce && !this.stats.failedOnce.has(m.value.orderId));
      if (failing.length > 0) {
        failing.forEach((m) => this.stats.failedOnce.add(m.value.orderId));
        this.stats.failuresInjected += 1;
        throw new Error(`deliberate failure (orders ${failing.map((m) => m.value.orderId).join(', ')})`);
      }
      const write = (manager: EntityManager) => manager.insert(OrderEntity, messages.map(toRow));
      if (tx) await write(tx);
      else await this.dataSource.transaction(write);
      this.logger.debug(`stored ${messages.length} orders`);
    }
  }
  return OrdersConsumer;
}

function toRow(m: ReliableMessage<OrderPlaced>): Partial<OrderEntity> {
  return {
    runId: m.value.runId,
    orderId: m.value.orderId,
    amountCents: m.value.amountCents,
    messageId: m.id,
    partition: m.partition,
    offset: m.offset,
  };
}
