import type { ParamData } from '@nestjs/common';
import type { ParamsFactory } from '@nestjs/core/helpers/external-context-creator';
import { KafkaParamType } from '../decorators/kafka-param-type.enum';
import { KafkaContext } from './kafka-context';

/** Resolves `@Messages()`, `@KafkaCtx()` and `@TxManager()` from the invocation args `[messages, context]`. */
export class KafkaParamsFactory implements ParamsFactory {
  exchangeKeyForValue(type: number, _data: ParamData, args: unknown[]): unknown {
    const [messages, context] = args;
    switch (type as KafkaParamType) {
      case KafkaParamType.MESSAGES:
        return messages;
      case KafkaParamType.CONTEXT:
        return context;
      case KafkaParamType.TX_MANAGER:
        return context instanceof KafkaContext ? context.txManager : undefined;
      default:
        return undefined;
    }
  }
}
