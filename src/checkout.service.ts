import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReliableProducerService, type ProducerMessage } from 'nestjs-reliable-kafka';
import type { DemoConfig } from './demo-config';
import { DemoStats } from './demo-stats.service';
import type { OrderPlaced } from './order.entity';

/** Places the demo's orders through the reliable producer (concurrently, so sends get coalesced). */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger(CheckoutService.name);

  // explicit tokens: runners built on esbuild (tsx, vitest) emit no decorator metadata for Nest to read
  constructor(
    @Inject(ReliableProducerService) private readonly producer: ReliableProducerService,
    @Inject(DemoStats) private readonly stats: DemoStats,
  ) {}

  async placeOrders(config: DemoConfig): Promise<void> {
    const orders = Array.from({ length: config.orderCount }, (_, i) => this.order(config, i));
    const firstSends = orders.map((o) => this.send(config.topic, o));
    // a client retry after a lost response: the same order sent again with the same message id
    const duplicates = orders
      .filter((o) => o.index % config.duplicateEvery === 0)
      .map((o) => this.send(config.topic, o));
    await Promise.all([...firstSends, ...duplicates]);
  }

  private order(config: DemoConfig, index: number) {
    const order: OrderPlaced = {
      orderId: `${config.runId}-${index}`,
      runId: config.runId,
      amountCents: 1_000 + index,
      failOnce: index % config.failEvery === config.failEvery - 1,
    };
    return { index, order, messageId: `order-${order.orderId}` };
  }

  private async send(topic: string, o: { order: OrderPlaced; messageId: string }): Promise<void> {
    const message: ProducerMessage = {
      key: o.order.orderId,
      value: o.order,
      headers: { 'message-id': o.messageId },
    };
    this.stats.produced += 1;
    try {
      const [metadata] = await this.producer.send(topic, [message]);
      this.stats.acked += 1;
      this.stats.ackedOrderIds.add(o.order.orderId);
      this.logger.debug(`order ${o.order.orderId} acked at ${metadata.partition}/${metadata.offset}`);
    } catch (error) {
      this.stats.deliveryFailures += 1;
      this.logger.error(`order ${o.order.orderId} not delivered: ${(error as Error).message}`);
    }
  }
}
