import { Injectable, Logger } from '@nestjs/common';
import { applyDoctorMode } from './apply-doctor-mode.util';
import type { DoctorAdmin, DoctorInput } from './collect-doctor-facts.util';
import type { DoctorLogger, DoctorMode } from './doctor-options.interface';
import type { DoctorReport } from './doctor-report';
import { DOCTOR_MESSAGES } from './doctor.messages';
import { runDoctor } from './run-doctor.util';

/**
 * Checks the topics and client settings of an app at startup. The module calls {@link DoctorService.check} in
 * `onApplicationBootstrap`, after provisioning and before any consumer connects, so mode 'fail' stops the app
 * before it reads or writes a message.
 */
@Injectable()
export class DoctorService {
  private readonly logger: DoctorLogger = new Logger('ReliableKafkaDoctor');

  /** The report, without acting on it. `admin` must be connected; the caller disconnects it. */
  examine(admin: DoctorAdmin, input: DoctorInput): Promise<DoctorReport> {
    return runDoctor(admin, input);
  }

  /**
   * Examines and acts by `mode`: 'off' reads nothing and returns undefined; 'warn' logs (and, when the cluster
   * cannot be read, logs that and returns undefined); 'fail' logs and throws `UnsafeTopicConfigError` when a
   * finding is an error, and rethrows a failure to read the cluster.
   */
  async check(admin: DoctorAdmin, input: DoctorInput, mode: DoctorMode): Promise<DoctorReport | undefined> {
    if (mode === 'off') return undefined;
    let report: DoctorReport;
    try {
      report = await this.examine(admin, input);
    } catch (e) {
      // 'fail' must not start unchecked; 'warn' promised to start, so it says what it could not check.
      if (mode === 'fail') throw e;
      this.logger.warn(DOCTOR_MESSAGES.uncheckable(e instanceof Error ? e.message : String(e)));
      return undefined;
    }
    applyDoctorMode(report, mode, this.logger);
    return report;
  }
}
