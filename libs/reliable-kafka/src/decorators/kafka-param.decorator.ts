import { assignMetadata, PipeTransform, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { KafkaParamType } from './kafka-param-type.enum';

/**
 * Records a parameter in ROUTE_ARGS_METADATA, where Nest's scanner also finds pipe classes to instantiate,
 * and where `KafkaParamsFactory` resolves it at call time.
 */
export function createKafkaParamDecorator(type: KafkaParamType) {
  return (...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator =>
    (target, key, index) => {
      if (key === undefined) return;
      const args: Record<string, unknown> =
        Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {};
      Reflect.defineMetadata(
        ROUTE_ARGS_METADATA,
        assignMetadata(args, type, index, undefined, ...pipes),
        target.constructor,
        key,
      );
    };
}
