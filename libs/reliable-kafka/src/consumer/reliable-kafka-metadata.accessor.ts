import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ReliableBatchHandlerOptions } from '../interfaces/batch-handler-options.interface';
import { RELIABLE_BATCH_HANDLER_METADATA } from '../reliable-kafka.constants';

/** Reads `@ReliableBatchHandler` metadata. */
@Injectable()
export class ReliableKafkaMetadataAccessor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  /** The handler options declared on `method`, or undefined when it is not a reliable handler. */
  getHandlerOptions(method: (...args: unknown[]) => unknown): ReliableBatchHandlerOptions | undefined {
    return this.reflector.get<ReliableBatchHandlerOptions | undefined>(
      RELIABLE_BATCH_HANDLER_METADATA,
      method,
    );
  }
}
