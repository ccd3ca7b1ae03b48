export type { DoctorFinding, DoctorSeverity } from './doctor-finding.interface';
export type {
  ClusterFacts,
  ConsumerFacts,
  DoctorFacts,
  DoctorTopicTarget,
  PartitionFacts,
  ProducerFacts,
  TopicFacts,
} from './doctor-facts.interface';
export type { DoctorLogger, DoctorMode, DoctorOptions } from './doctor-options.interface';
export { DoctorReport, type DoctorReportJson } from './doctor-report';
export { DoctorService } from './doctor.service';
export { UnsafeTopicConfigError } from './unsafe-topic-config.error';
export { applyDoctorMode } from './apply-doctor-mode.util';
export { evaluateDoctor } from './evaluate-doctor.util';
export { runDoctor } from './run-doctor.util';
export {
  collectDoctorFacts,
  collectTopicFacts,
  collectClusterFacts,
  type DoctorAdmin,
  type DoctorInput,
} from './collect-doctor-facts.util';
export {
  consumerFacts,
  producerFacts,
  doctorTargets,
  KAFKAJS_DEFAULT_REBALANCE_TIMEOUT_MS,
  type ConsumerSettingsInput,
} from './client-facts.util';
export { recommendedMinIsr, RECOMMENDED_REPLICATION_FACTOR } from './topic-rules.util';
export { formatFinding } from './format-finding.util';
export { renderDoctorTable } from './render-doctor-table.util';
