import type { ConsumerFacts, DoctorTopicTarget, ProducerFacts } from './doctor-facts.interface';

/** kafkajs' rebalance timeout when a consumer does not set one. */
export const KAFKAJS_DEFAULT_REBALANCE_TIMEOUT_MS = 60000;

/** Producer facts from the module's resolved producer options. */
export function producerFacts(producer: { acks: number; idempotent: boolean }): ProducerFacts {
  return { acks: producer.acks, idempotent: producer.idempotent };
}

/** The consumer settings of one handler as its kafkajs consumer runs them. */
export interface ConsumerSettingsInput {
  groupId: string;
  sessionTimeout: number;
  heartbeatInterval: number;
  /** Default: kafkajs' 60000 ms. */
  rebalanceTimeout?: number;
  /** Default false: the reliable handlers always commit themselves. */
  autoCommit?: boolean;
  /** The handler's timeout, when it has one. */
  maxProcessingTimeMs?: number;
}

/** Consumer facts from a handler's resolved options. */
export function consumerFacts(c: ConsumerSettingsInput): ConsumerFacts {
  return {
    groupId: c.groupId,
    autoCommit: c.autoCommit ?? false,
    sessionTimeout: c.sessionTimeout,
    heartbeatInterval: c.heartbeatInterval,
    rebalanceTimeout: c.rebalanceTimeout ?? KAFKAJS_DEFAULT_REBALANCE_TIMEOUT_MS,
    maxProcessingTimeMs: c.maxProcessingTimeMs,
  };
}

/**
 * The topics to check: every topic a handler consumes (pattern subscriptions cannot be checked by name and are
 * skipped) with its dead-letter topic, plus extra topics (produced to, provisioned) without one unless a handler
 * gives it. A topic listed twice keeps the dead-letter topic it was given.
 */
export function doctorTargets(
  handlers: ReadonlyArray<{ topics: ReadonlyArray<string | RegExp>; deadLetterTopic: string | false }>,
  extra: ReadonlyArray<DoctorTopicTarget | string> = [],
): DoctorTopicTarget[] {
  const byTopic = new Map<string, DoctorTopicTarget>();
  const add = (t: DoctorTopicTarget): void => {
    const known = byTopic.get(t.topic);
    if (!known || (known.deadLetterTopic === false && t.deadLetterTopic !== false)) byTopic.set(t.topic, t);
  };
  for (const h of handlers) {
    for (const topic of h.topics)
      if (typeof topic === 'string') add({ topic, deadLetterTopic: h.deadLetterTopic });
  }
  for (const e of extra) add(typeof e === 'string' ? { topic: e, deadLetterTopic: false } : e);
  return [...byTopic.values()];
}
