import { KafkaParamType } from './kafka-param-type.enum';
import { createKafkaParamDecorator } from './kafka-param.decorator';

/** Injects the `KafkaContext` of the batch (topic, partition, groupId, heartbeat()). */
export const KafkaCtx = createKafkaParamDecorator(KafkaParamType.CONTEXT);
