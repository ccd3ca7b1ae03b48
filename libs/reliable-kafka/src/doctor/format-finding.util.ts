import type { DoctorFinding } from './doctor-finding.interface';

/** One finding as a sentence: where, what, why and the fix. Used by logs and by UnsafeTopicConfigError. */
export function formatFinding(f: DoctorFinding): string {
  const where = f.topic ? `topic "${f.topic}" ${f.setting}` : f.setting;
  return `${where} is ${f.actual} (recommended ${f.recommended}): ${f.reason}. Fix: ${f.fix}`;
}
