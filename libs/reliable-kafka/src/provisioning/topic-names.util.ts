/** Suffix of a topic's dead-letter topic. */
export const DEAD_LETTER_SUFFIX = '.dlt';

/** The dead-letter topic of `topic`: `<topic>.dlt`. */
export function deadLetterTopicName(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/**
 * Where a handler's records from `sourceTopic` are dead-lettered: its own `deadLetterTopic`, else
 * `<sourceTopic>.dlt`; null when dead-lettering is off (`deadLetterTopic: false`).
 */
export function deadLetterTopicFor(
  options: { readonly deadLetterTopic?: string | false },
  sourceTopic: string,
): string | null {
  const { deadLetterTopic } = options;
  if (deadLetterTopic === false) return null;
  return deadLetterTopic ?? deadLetterTopicName(sourceTopic);
}

/** The retry stage of `topic` that holds messages for `delayMs` before another attempt: `<topic>.retry.<delayMs>`. */
export function retryTopicName(topic: string, delayMs: number): string {
  return `${topic}.retry.${delayMs}`;
}

/** True for dead-letter and retry topics, which need no dead-letter topic of their own. */
export function isDerivedTopicName(topic: string): boolean {
  return topic.endsWith(DEAD_LETTER_SUFFIX) || /\.retry\.\d+$/.test(topic);
}
