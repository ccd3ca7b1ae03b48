import type { ResolvedHandlerOptions } from '../interfaces/batch-handler-options.interface';
import { retryTopicName } from '../provisioning/topic-names.util';

/** kafkajs' default fetch wait; a stage consumer never waits longer than that. */
const DEFAULT_MAX_WAIT_MS = 5_000;
/** Shortest fetch wait, so tiny delays do not turn an idle stage consumer into a busy loop. */
const MIN_MAX_WAIT_MS = 100;

/**
 * Consumer group of a handler's retry-stage consumer: `<groupId>.retry`. A group of its own because kafkajs'
 * assigners expect every member of a group to subscribe to the same topics; dedup still uses the handler's
 * `groupId`, so a stage copy and its original share one dedup id.
 */
export function retryStageGroupId(groupId: string): string {
  return `${groupId}.retry`;
}

/** Every stage topic of the handler: `<topic>.retry.<delay>` for each topic and delay (none when off). */
export function retryStageTopics(
  options: Pick<ResolvedHandlerOptions, 'topics' | 'retryTopicDelaysMs'>,
): string[] {
  return options.topics.flatMap((topic) =>
    typeof topic === 'string' ? options.retryTopicDelaysMs.map((d) => retryTopicName(topic, d)) : [],
  );
}

/**
 * The stage consumer's fetch wait (`maxWaitTimeInMs`). While every stage partition is paused kafkajs sleeps this
 * long between fetch rounds, so it bounds how late after its due time a resumed record is fetched.
 */
export function retryStageMaxWaitMs(delaysMs: readonly number[]): number {
  return Math.min(DEFAULT_MAX_WAIT_MS, Math.max(MIN_MAX_WAIT_MS, Math.round(Math.min(...delaysMs) / 2)));
}
