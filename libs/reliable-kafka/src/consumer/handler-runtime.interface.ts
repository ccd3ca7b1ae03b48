import type { ResolvedHandlerOptions } from '../interfaces/batch-handler-options.interface';
import type { ReliableMessage } from '../interfaces/reliable-message.interface';
import type { KafkaContext } from './kafka-context';

/** A discovered handler, ready to run: its options and its call through Nest's enhancer chain. */
export interface HandlerRuntime {
  /** `Class.method`, for logs and errors. */
  name: string;
  options: ResolvedHandlerOptions;
  /** Calls the handler through guards, interceptors (the commit step among them), pipes and filters. */
  invoke(messages: ReliableMessage[], context: KafkaContext): Promise<unknown>;
}
