interface KafkaLikeError {
  name?: string;
  retriable?: boolean;
  cause?: unknown;
}

/**
 * Whether another produce attempt may succeed. kafkajs marks its errors `retriable`; when its own retries
 * ran out it throws KafkaJSNumberOfRetriesExceeded (itself "non-retriable") whose cause tells the real story.
 * Anything that is not a kafkajs error (a serialization bug, ...) is not retried.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as KafkaLikeError;
  if (e.name === 'KafkaJSNumberOfRetriesExceeded') return isRetriableKafkaError(e.cause);
  return e.retriable === true;
}
