/** Execution context type of reliable handlers (`ExecutionContext.getType()`). */
export const KAFKA_CONTEXT_TYPE = 'kafka';

/** Metadata key under which `@ReliableBatchHandler` stores its options. */
export const RELIABLE_BATCH_HANDLER_METADATA = 'nestjs-reliable-kafka:batch-handler';

/** Token of the validated options (defaults merged). */
export const RESOLVED_RELIABLE_KAFKA_OPTIONS = Symbol('RESOLVED_RELIABLE_KAFKA_OPTIONS');

/** Default header carrying the message id. */
export const DEFAULT_MESSAGE_ID_HEADER = 'message-id';
