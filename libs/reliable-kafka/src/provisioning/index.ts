export type {
  PlannedTopic,
  ProvisionOptions,
  ProvisioningReport,
  TopicChange,
  TopicDrift,
  TopicSpec,
} from './topic-spec.interface';
export { provisionTopics, type ProvisioningAdmin } from './provision-topics.util';
export { planTopics, safeReplicationFactor, safeTopicConfigs, desiredConfigs } from './plan-topics.util';
export { diffTopic } from './diff-topic.util';
export {
  deadLetterTopicName,
  retryTopicName,
  isDerivedTopicName,
  DEAD_LETTER_SUFFIX,
} from './topic-names.util';
export { TopicProvisioningError } from './topic-provisioning.error';
export { TopicProvisioningService } from './topic-provisioning.service';
export { provisionedTargets } from './provisioned-targets.util';
