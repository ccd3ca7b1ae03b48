export { EmbeddedKafka, EmbeddedKafkaOptions } from './embedded-kafka';
export { FaultInjector } from './faults/fault-injector';
export { RequestFaultAction, RequestFaultRule } from './faults/request-faults';
export { ApiKey } from './protocol/api-keys';
export { ErrorCode } from './protocol/error-codes';
export { BrokerSettings, DEFAULT_BROKER_SETTINGS, TOPIC_CONFIG_DEFAULTS } from './cluster/configs';
