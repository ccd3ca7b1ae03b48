import { KafkaParamType } from './kafka-param-type.enum';
import { createKafkaParamDecorator } from './kafka-param.decorator';

/**
 * Injects the TypeORM EntityManager of the dedup transaction (handlers with `dedup: { transactional: true }`).
 * Writes made through it commit together with the dedup rows, or not at all.
 */
export const TxManager = createKafkaParamDecorator(KafkaParamType.TX_MANAGER);
