import type { ProduceAttemptFacts } from '../produce-attempt.error';

/**
 * Broker answers that Kafka gives before appending anything (`Partition.appendRecordsToLeader`,
 * `ProduceRequest.validateRecords`, `LogValidator`, `ProducerStateManager`): the request's records are not in the
 * log. kafkajs' old names are used (NOT_LEADER_FOR_PARTITION is Kafka's NOT_LEADER_OR_FOLLOWER).
 */
const REFUSED_BEFORE_APPEND = new Set([
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'NOT_ENOUGH_REPLICAS',
  'INVALID_REQUIRED_ACKS',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'INVALID_TIMESTAMP',
  'UNSUPPORTED_VERSION',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'UNSUPPORTED_COMPRESSION_TYPE',
  'POLICY_VIOLATION',
  'INVALID_RECORD',
  'INVALID_TXN_STATE',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** The broker refuses the request's size; smaller requests may pass. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/**
 * The broker no longer takes this producer's sequence numbers. DUPLICATE_SEQUENCE_NUMBER (old brokers) means
 * the batch was written before: not refused, so it stays out of REFUSED_BEFORE_APPEND (outcome unknown).
 */
const SEQUENCE_REJECTED = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_ID_MAPPING',
  'DUPLICATE_SEQUENCE_NUMBER',
]);

/** kafkajs errors raised before a request leaves the client (metadata, broker lookup, the broker lock). */
const NOT_SENT = new Set([
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSNoBrokerAvailableError',
]);

/** kafkajs errors of a request that may have reached the broker: its outcome is unknown. */
const MAYBE_SENT = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSError',
]);

interface KafkajsLikeError {
  name?: string;
  type?: string;
  retriable?: boolean;
  cause?: unknown;
}

/**
 * What a kafkajs `sendBatch` error tells about one single-partition request made with no kafkajs retries (one
 * attempt, see `createKafkajsProducer`): kafkajs wraps a retriable error in KafkaJSNumberOfRetriesExceeded and a
 * non-retriable one in KafkaJSNonRetriableError; the cause is the real answer.
 */
export function classifyKafkajsProduceError(error: unknown): ProduceAttemptFacts {
  const root = unwrap(error);
  if (typeof root !== 'object' || root === null) return unknownOutcome(false);
  const e = root as KafkajsLikeError;
  if (e.name === 'KafkaJSProtocolError' && typeof e.type === 'string') {
    const sequenceRejected = SEQUENCE_REJECTED.has(e.type);
    return {
      written: REFUSED_BEFORE_APPEND.has(e.type) ? 'no' : 'unknown',
      retriable: sequenceRejected || e.retriable === true,
      tooLarge: TOO_LARGE.has(e.type),
      sequenceRejected,
      code: e.type,
    };
  }
  if (e.name !== undefined && NOT_SENT.has(e.name)) {
    return { written: 'no', retriable: true, tooLarge: false, sequenceRejected: false };
  }
  return unknownOutcome(e.name !== undefined && MAYBE_SENT.has(e.name));
}

function unknownOutcome(retriable: boolean): ProduceAttemptFacts {
  return { written: 'unknown', retriable, tooLarge: false, sequenceRejected: false };
}

function unwrap(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const e = current as KafkajsLikeError | null;
    const wrapper = e?.name === 'KafkaJSNumberOfRetriesExceeded' || e?.name === 'KafkaJSNonRetriableError';
    if (!wrapper || e?.cause === undefined || e.cause === current) return current;
    current = e.cause;
  }
  return current;
}
