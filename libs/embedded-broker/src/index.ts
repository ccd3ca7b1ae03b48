export { EmbeddedKafka } from './embedded-kafka';
export type { EmbeddedKafkaOptions } from './embedded-kafka';
export { FaultInjector } from './faults/fault-injector';
export type { RequestFaultAction, RequestFaultRule } from './faults/request-faults';
export { ApiKey } from './protocol/api-keys';
export { ErrorCode } from './protocol/error-codes';
export { DEFAULT_BROKER_SETTINGS, TOPIC_CONFIG_DEFAULTS } from './cluster/configs';
export type { BrokerSettings } from './cluster/configs';
