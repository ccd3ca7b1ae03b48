import type { ArgumentsHost } from '@nestjs/common';
import { KAFKA_CONTEXT_TYPE } from '../reliable-kafka.constants';

/**
 * True inside guards, interceptors, pipes and filters when they run for a reliable Kafka handler,
 * so HTTP-only enhancers can step aside: `if (isKafkaContext(ctx)) return true;`.
 */
export function isKafkaContext(host: ArgumentsHost): boolean {
  return host.getType<string>() === KAFKA_CONTEXT_TYPE;
}
