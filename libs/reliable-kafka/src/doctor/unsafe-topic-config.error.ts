import type { DoctorFinding } from './doctor-finding.interface';
import { formatFinding } from './format-finding.util';

/**
 * Thrown at startup in doctor mode 'fail' when a topic or client setting can lose or stall data. The message names
 * each topic, setting and fix; the first error is also in the readonly fields.
 */
export class UnsafeTopicConfigError extends Error {
  /** Topic of the first error (absent for a client setting). */
  readonly topic?: string;
  /** Setting of the first error, e.g. `min.insync.replicas`. */
  readonly setting: string;
  /** Fix of the first error. */
  readonly fix: string;

  constructor(
    /** Every error finding (warnings and infos are logged, not thrown). */
    readonly findings: readonly DoctorFinding[],
  ) {
    const [first] = findings;
    const lines = findings.map((f) => `  - ${formatFinding(f)}`).join('\n');
    super(
      `Unsafe Kafka configuration (${findings.length} error(s)); refusing to start (doctor mode 'fail'):\n${lines}\n` +
        "Fix the settings above, or set doctor: { mode: 'warn' } to start anyway.",
    );
    this.name = 'UnsafeTopicConfigError';
    this.topic = first?.topic;
    this.setting = first?.setting ?? '';
    this.fix = first?.fix ?? '';
  }
}
