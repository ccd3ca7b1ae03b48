import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ReliableKafkaModuleOptions } from './interfaces/reliable-kafka-options.interface';

/**
 * `forRoot` / `forRootAsync` come from Nest's builder so sync and async configuration share one path.
 * `isGlobal` (default true) lets handlers and the producer live in any module of the app.
 */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<ReliableKafkaModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
