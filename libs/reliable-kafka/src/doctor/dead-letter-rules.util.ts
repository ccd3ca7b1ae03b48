import type { DoctorFinding } from './doctor-finding.interface';
import type { TopicFacts } from './doctor-facts.interface';
import { DOCTOR_MESSAGES as M } from './doctor.messages';

/** The dead-letter topic exists and has at least as many partitions as its source. */
export function checkDeadLetterTopic(
  source: TopicFacts,
  dltName: string,
  dlt: TopicFacts | undefined,
): DoctorFinding[] {
  const want = source.partitions.length;
  if (!dlt) {
    const text = M.deadLetterMissing(source.name, dltName);
    return [
      {
        severity: 'error',
        topic: dltName,
        setting: 'dead-letter topic',
        actual: 'missing',
        recommended: `${want} partitions`,
        ...text,
      },
    ];
  }
  if (dlt.partitions.length >= want) return [];
  const text = M.deadLetterFewerPartitions(source.name, dltName, want);
  return [
    {
      severity: 'warning',
      topic: dltName,
      setting: 'partitions',
      actual: String(dlt.partitions.length),
      recommended: `>= ${want}`,
      ...text,
    },
  ];
}
