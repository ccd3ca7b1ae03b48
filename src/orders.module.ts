import { Module, type DynamicModule } from '@nestjs/common';
import { ReliableKafkaModule } from 'nestjs-reliable-kafka';
import { logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { CheckoutService } from './checkout.service';
import type { DemoConfig } from './demo-config';
import { DemoStats } from './demo-stats.service';
import type { Infrastructure } from './infrastructure';
import { ordersConsumer } from './orders.consumer';

/** The orders service: checkout (producer side) and billing (the batch handler writing orders). */
@Module({})
export class OrdersModule {
  static forRun(infra: Infrastructure, config: DemoConfig): DynamicModule {
    return {
      module: OrdersModule,
      imports: [
        ReliableKafkaModule.forRoot({
          client: { clientId: 'orders-demo', brokers: infra.brokers, logLevel: logLevel.ERROR },
          dedup: infra.dedup,
          producer: { lingerMs: 5 },
          // Created at startup (with orders.dlt) when missing, with safe configs; then the doctor checks them.
          topics: [{ name: config.topic, partitions: 3 }],
        }),
      ],
      providers: [
        { provide: DataSource, useValue: infra.dataSource },
        DemoStats,
        CheckoutService,
        ordersConsumer({ topic: config.topic, groupId: config.groupId, transactional: infra.transactional }),
      ],
    };
  }
}
