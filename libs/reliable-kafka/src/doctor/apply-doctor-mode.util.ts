import type { DoctorLogger, DoctorMode } from './doctor-options.interface';
import type { DoctorReport } from './doctor-report';
import { formatFinding } from './format-finding.util';
import { UnsafeTopicConfigError } from './unsafe-topic-config.error';

/**
 * Acts on a report: `off` does nothing; `warn` logs errors and warnings as warnings and infos as logs; `fail`
 * logs warnings and infos the same way, then throws {@link UnsafeTopicConfigError} when there are errors.
 */
export function applyDoctorMode(report: DoctorReport, mode: DoctorMode, logger: DoctorLogger): void {
  if (mode === 'off') return;
  const logged = mode === 'fail' ? report.findings.filter((f) => f.severity !== 'error') : report.findings;
  for (const f of logged) {
    const line = `[doctor ${f.severity}] ${formatFinding(f)}`;
    if (f.severity === 'info') logger.log(line);
    else logger.warn(line);
  }
  if (mode === 'fail' && report.hasErrors) throw new UnsafeTopicConfigError(report.errors);
}
