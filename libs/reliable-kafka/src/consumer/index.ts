export * from './kafka-context';
export * from './is-kafka-context.util';
export { OffsetTracker } from './pipeline';
export * from './reliable-kafka.explorer';
export * from './consumer.orchestrator';
export * from './reliable-kafka-metadata.accessor';
