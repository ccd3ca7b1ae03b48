export * from './reliable-kafka-options.interface';
export * from './batch-handler-options.interface';
export * from './message-codec.interface';
export * from './reliable-message.interface';
export * from './resolved-options.interface';
