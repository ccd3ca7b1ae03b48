import type { Consumer } from 'kafkajs';

/** Where a consumer-side event happened. */
export interface PartitionRef {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
}

/** How a handler call ended. */
export type CallOutcome = 'success' | 'failure';

/** Why a partition waits instead of moving on (liveness: health names it when the wait lasts). */
export type PartitionWait =
  /** The dedup store does not answer (claims or done marks). */
  | 'dedup-store-unavailable'
  /** Another consumer holds a claim on ids of the partition. */
  | 'dedup-claim-held'
  /** The dead-letter (or retry-stage) publish is not acknowledged. */
  | 'dead-letter-failing'
  /** The dead letter is larger than its topic accepts, even with its failure headers cut down. */
  | 'dead-letter-too-large';

/**
 * What the runtime reports as it works: the seam between the consumer and producer code and the metrics and
 * health (prom-client, terminus) that read it. The runtime calls it; it never throws back into the data path.
 */
export interface ReliableKafkaTelemetry {
  /** A kafkajs consumer was created for a handler (its events tell whether it is connected and assigned). */
  consumerCreated(handlerName: string, groupId: string, consumer: Consumer): void;
  /** `count` messages were handled successfully (their offsets may now be committed). */
  messagesProcessed(ref: PartitionRef, count: number): void;
  /** An attempt failed; `count` is how many messages it was attributed to (usually 1). */
  messagesFailed(ref: PartitionRef, count: number): void;
  /** A failed message will be tried again (in place after a backoff, or through a retry topic). */
  messageRetried(ref: PartitionRef): void;
  /** A message was published to a dead-letter topic and acknowledged. */
  messageDeadLettered(ref: PartitionRef, deadLetterTopic: string): void;
  /** `count` messages were skipped because the dedup store said they were already processed. */
  messagesDeduplicated(ref: PartitionRef, count: number): void;
  /**
   * A handler call of `size` messages starts; the returned function is called once when it ends. Calls still
   * open past the handler's `maxProcessingTimeMs` are what the health indicator reports as stuck.
   */
  handlerCallStarted(ref: PartitionRef, handlerName: string, size: number): (outcome: CallOutcome) => void;
  /** An offset commit finished (`ok` false when the broker refused it). */
  commitObserved(ref: PartitionRef, seconds: number, ok: boolean): void;
  /** Messages after the batch being processed, up to the partition's high watermark (kafkajs `offsetLag`). */
  lagObserved(ref: PartitionRef, lag: number): void;
  /** One `send()` of the reliable producer settled (`ok` false when it rejected). */
  producerSendObserved(topic: string, seconds: number, ok: boolean): void;
  /** The partition waits for `reason` (it stays unmoved until progress is reported again). */
  partitionWaiting(ref: PartitionRef, reason: PartitionWait): void;
}

/** Reports nothing: for unit tests and code paths built without the module. */
export const NOOP_TELEMETRY: ReliableKafkaTelemetry = {
  consumerCreated: () => undefined,
  messagesProcessed: () => undefined,
  messagesFailed: () => undefined,
  messageRetried: () => undefined,
  messageDeadLettered: () => undefined,
  messagesDeduplicated: () => undefined,
  handlerCallStarted: () => () => undefined,
  commitObserved: () => undefined,
  lagObserved: () => undefined,
  producerSendObserved: () => undefined,
  partitionWaiting: () => undefined,
};

/** Injection token of the module's `ReliableKafkaTelemetry`. */
export const RELIABLE_KAFKA_TELEMETRY = 'nestjs-reliable-kafka:telemetry';
