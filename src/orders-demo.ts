import { NestFactory } from '@nestjs/core';
import { CheckoutService } from './checkout.service';
import { readDemoConfig } from './demo-config';
import { DemoStats } from './demo-stats.service';
import { startInfrastructure } from './infrastructure';
import { OneLineLogger } from './one-line.logger';
import { OrdersModule } from './orders.module';
import { allAckedOrdersStored, collectSummary, type OrdersSummary } from './summary';

/** Options of one demo run. */
export interface DemoRunOptions {
  env?: NodeJS.ProcessEnv;
  /** Where progress lines go (default console.log). */
  log?: (line: string) => void;
}

/**
 * One complete run: start (or connect to) the servers, place the orders, wait until every acknowledged order is
 * stored, then count. Everything it started is stopped before it returns.
 */
export async function runOrdersDemo(options: DemoRunOptions = {}): Promise<OrdersSummary> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const config = readDemoConfig(env);
  const infra = await startInfrastructure(env);
  infra.notes.forEach((note) => log(note));
  try {
    const app = await NestFactory.createApplicationContext(OrdersModule.forRun(infra, config), {
      logger: new OneLineLogger({ logLevels: ['error', 'warn'] }),
      abortOnError: false, // throw instead of exiting, so the servers started above are stopped
    });
    try {
      const stats = app.get(DemoStats);
      log(`run ${config.runId}: placing ${config.orderCount} orders on '${config.topic}'`);
      await app.get(CheckoutService).placeOrders(config);
      await waitUntil(
        () => allAckedOrdersStored(infra.dataSource, stats, config.runId),
        config.settleTimeoutMs,
      );
      // let any redelivered duplicate show up before counting: it must not add a row
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return await collectSummary(infra.dataSource, stats, config.runId);
    } finally {
      await app.close();
    }
  } finally {
    await infra.stop();
  }
}

async function waitUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !(await done())) await new Promise((resolve) => setTimeout(resolve, 100));
}
