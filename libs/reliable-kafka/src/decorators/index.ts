export * from './reliable-batch-handler.decorator';
export * from './messages.decorator';
export * from './kafka-ctx.decorator';
export * from './tx-manager.decorator';
