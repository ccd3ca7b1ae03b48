import type { DoctorFinding, DoctorSeverity } from './doctor-finding.interface';
import { renderDoctorTable } from './render-doctor-table.util';

const RANK: Record<DoctorSeverity, number> = { error: 0, warning: 1, info: 2 };

/** The report as JSON (what `--json` prints). */
export interface DoctorReportJson {
  readonly ok: boolean;
  readonly summary: { readonly errors: number; readonly warnings: number; readonly infos: number };
  readonly findings: readonly DoctorFinding[];
}

/** The doctor's findings, most severe first, with a table and a JSON rendering. */
export class DoctorReport {
  readonly findings: readonly DoctorFinding[];

  constructor(findings: readonly DoctorFinding[]) {
    this.findings = [...findings].sort(
      (a, b) =>
        RANK[a.severity] - RANK[b.severity] ||
        (a.topic ?? '').localeCompare(b.topic ?? '') ||
        a.setting.localeCompare(b.setting),
    );
  }

  get errors(): DoctorFinding[] {
    return this.findings.filter((f) => f.severity === 'error');
  }

  get warnings(): DoctorFinding[] {
    return this.findings.filter((f) => f.severity === 'warning');
  }

  get infos(): DoctorFinding[] {
    return this.findings.filter((f) => f.severity === 'info');
  }

  /** True when at least one finding can lose or stall data. */
  get hasErrors(): boolean {
    return this.findings.some((f) => f.severity === 'error');
  }

  /** Findings about one topic. */
  forTopic(topic: string): DoctorFinding[] {
    return this.findings.filter((f) => f.topic === topic);
  }

  toJSON(): DoctorReportJson {
    return {
      ok: !this.hasErrors,
      summary: { errors: this.errors.length, warnings: this.warnings.length, infos: this.infos.length },
      findings: this.findings,
    };
  }

  /** Plain-text table for terminals and logs. */
  toTable(): string {
    return renderDoctorTable(this.findings);
  }
}
