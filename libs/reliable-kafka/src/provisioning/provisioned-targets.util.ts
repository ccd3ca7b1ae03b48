import type { DoctorTopicTarget } from '../doctor/doctor-facts.interface';
import { deadLetterTopicName, retryTopicName } from './topic-names.util';
import type { TopicSpec } from './topic-spec.interface';

/** The doctor targets of provisioned topics: each topic with its DLT (if any), and its retry stages. */
export function provisionedTargets(specs: readonly TopicSpec[]): DoctorTopicTarget[] {
  return specs.flatMap((s) => [
    {
      topic: s.name,
      deadLetterTopic: s.deadLetter === false ? (false as const) : deadLetterTopicName(s.name),
    },
    ...[...new Set(s.retryDelaysMs ?? [])].map((d) => ({
      topic: retryTopicName(s.name, d),
      deadLetterTopic: false as const,
    })),
  ]);
}
