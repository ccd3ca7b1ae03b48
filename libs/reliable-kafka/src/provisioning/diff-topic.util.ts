import type { TopicFacts } from '../doctor/doctor-facts.interface';
import { desiredConfigs } from './plan-topics.util';
import type { PlannedTopic, TopicChange } from './topic-spec.interface';

/** Kafka accepts `TRUE` and ` 2`; compare what the broker means, not how it was written. */
const normalize = (v: string): string => v.trim().toLowerCase();

/**
 * What differs between an existing topic and its plan. Only increases count: more partitions or replicas than
 * planned are left alone (partitions cannot shrink, and extra replicas are safer). Configs are compared with the
 * safe defaults for the topic's actual replication factor, since that is what it has until reassigned.
 */
export function diffTopic(plan: PlannedTopic, existing: TopicFacts): TopicChange[] {
  const changes: TopicChange[] = [];
  const current = existing.partitions.length;
  if (current < plan.partitions) {
    changes.push({
      setting: 'partitions',
      actual: String(current),
      desired: String(plan.partitions),
      applicable: true,
    });
  }
  if (existing.replicationFactor < plan.replicationFactor) {
    changes.push({
      setting: 'replication.factor',
      actual: String(existing.replicationFactor),
      desired: String(plan.replicationFactor),
      applicable: false,
    });
  }
  for (const [name, value] of Object.entries(desiredConfigs(plan, existing.replicationFactor))) {
    const actual = existing.configs[name];
    if (actual === undefined || normalize(actual) !== normalize(value)) {
      changes.push({ setting: name, actual: actual ?? '(unset)', desired: value, applicable: true });
    }
  }
  return changes;
}
