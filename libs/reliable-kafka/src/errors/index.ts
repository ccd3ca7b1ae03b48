export * from './invalid-config.error';
export * from './deserialization.error';
export * from './batch-failed.error';
export * from './batch-not-acknowledged.error';
export * from './delivery.error';
export * from './producer-closed.error';
