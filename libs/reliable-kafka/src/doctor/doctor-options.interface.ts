/** What the app does with the doctor's findings at startup. */
export type DoctorMode = 'fail' | 'warn' | 'off';

/** Doctor settings of the module (`doctor` option). */
export interface DoctorOptions {
  /** `fail` refuses to start on an error, `warn` logs every finding, `off` skips the check. */
  mode?: DoctorMode;
  /** Topics the app produces to, in addition to the consumed and provisioned ones, to check as well. */
  topics?: string[];
}

/** The minimal logger the doctor writes to; Nest's `Logger` fits. */
export interface DoctorLogger {
  warn(message: string): void;
  log(message: string): void;
}
