import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CheckoutService } from './checkout.service';
import { readDemoConfig } from './demo-config';
import { startInfrastructure } from './infrastructure';
import { ObservabilityModule } from './observability.module';
import { OneLineLogger } from './one-line.logger';
import { OrdersModule } from './orders.module';

/** Options of serve mode. */
export interface ServeOptions {
  env?: NodeJS.ProcessEnv;
  /** HTTP port (default PORT, else 3000; 0 picks a free one). */
  port?: number;
  log?: (line: string) => void;
}

/** A running serve mode: where it listens, and how to stop it (the app, then the servers it started). */
export interface ServingApp {
  readonly url: string;
  close(): Promise<void>;
}

@Module({})
class ServeModule {
  static with(orders: DynamicModule): DynamicModule {
    return { module: ServeModule, imports: [orders, ObservabilityModule] };
  }
}

/**
 * `npm start -- --serve`: the orders service kept running over HTTP with `/health` and `/metrics`. Places one
 * round of demo orders at startup so the metrics have something to show.
 */
export async function serveOrders(options: ServeOptions = {}): Promise<ServingApp> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const port = options.port ?? portFrom(env.PORT);
  const config = readDemoConfig(env);
  const infra = await startInfrastructure(env);
  infra.notes.forEach((note) => log(note));
  try {
    const app = await NestFactory.create(ServeModule.with(OrdersModule.forRun(infra, config)), {
      logger: new OneLineLogger({ logLevels: ['error', 'warn'] }),
      abortOnError: false,
    });
    await app.listen(port, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    log(`health:  ${url}/health`);
    log(`metrics: ${url}/metrics`);
    log(`run ${config.runId}: placing ${config.orderCount} orders on '${config.topic}'`);
    await app.get(CheckoutService).placeOrders(config);
    return {
      url,
      close: async () => {
        await app.close();
        await infra.stop();
      },
    };
  } catch (error) {
    await infra.stop();
    throw error;
  }
}

function portFrom(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`PORT must be 0-65535, got '${raw}'`);
  return port;
}
