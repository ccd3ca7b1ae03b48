import { KafkaParamType } from './kafka-param-type.enum';
import { createKafkaParamDecorator } from './kafka-param.decorator';

/**
 * Injects the batch (`ReliableMessage[]`). Pipes given here (e.g. a ValidationPipe) run on it.
 * @example handle(@Messages() messages: ReliableMessage<Order>[]) {}
 */
export const Messages = createKafkaParamDecorator(KafkaParamType.MESSAGES);
