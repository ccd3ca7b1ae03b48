/** How bad a finding is: `error` can lose or stall data, `warning` is risky, `info` is context. */
export type DoctorSeverity = 'error' | 'warning' | 'info';

/** One thing the doctor noticed about a topic, the cluster or the client configuration. */
export interface DoctorFinding {
  readonly severity: DoctorSeverity;
  /** The topic the finding is about; absent for client and cluster findings. */
  readonly topic?: string;
  /** The setting, e.g. `min.insync.replicas` or `consumer[billing].autoCommit`. */
  readonly setting: string;
  /** The value found, as text (`missing` when the topic does not exist). */
  readonly actual: string;
  /** The value the doctor recommends. */
  readonly recommended: string;
  /** Why it matters, in one line. */
  readonly reason: string;
  /** How to fix it, in one line (a command or an option to change). */
  readonly fix: string;
}
