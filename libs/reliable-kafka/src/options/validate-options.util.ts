import { register } from 'prom-client';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import type { MessageDeserializer, MessageIdExtractor } from '../interfaces/message-codec.interface';
import type {
  DedupOptions,
  ReliableKafkaModuleOptions,
  ReliableProducerOptions,
  UnsafeConfigMode,
} from '../interfaces/reliable-kafka-options.interface';
import type { DoctorMode } from '../doctor/doctor-options.interface';
import { CONFIG_MESSAGES, RUNTIME_MESSAGES } from '../reliable-kafka.messages';
import { METRICS_CONFIG_MESSAGES } from '../observability/observability.messages';
import { DEFAULT_OPTIONS, jsonDeserializer } from './default-options';
import { DEDUP_DEFAULTS } from '../dedup/dedup-settings.util';
import {
  fail,
  knownKeysOnly,
  nonEmptyString,
  nonNegativeInteger,
  oneOf,
  optionalFunction,
  positiveInteger,
} from './option-checks.util';
import { resolveHandlerDefaults } from './resolve-handler-defaults.util';
import { KNOWN_OPTION_KEYS } from './known-option-keys';
import { redisUrl } from './redis-url.util';
import type { TopicSpec } from '../provisioning/topic-spec.interface';

/**
 * Merges the defaults into `options` and validates everything once, at startup.
 * Pure: returns the resolved options or throws `InvalidConfigError` naming the option and the fix.
 * Unsafe settings accepted under `unsafeConfig: 'warn'` are returned in `warnings` for the caller to log.
 */
export function validateOptions(
  options: ReliableKafkaModuleOptions | undefined,
): ResolvedReliableKafkaOptions {
  if (!options || typeof options !== 'object') fail('options', CONFIG_MESSAGES.missingOptions());
  knownKeysOnly('', options, KNOWN_OPTION_KEYS.module);
  const client = options.client;
  if (!client || typeof client !== 'object') fail('client', CONFIG_MESSAGES.missingBrokers());
  knownKeysOnly('client', client, KNOWN_OPTION_KEYS.client);
  const brokers: unknown = client.brokers;
  const brokersOk =
    typeof brokers === 'function' ||
    (Array.isArray(brokers) && brokers.length > 0 && brokers.every((b) => typeof b === 'string' && b !== ''));
  if (!brokersOk) fail('client.brokers', CONFIG_MESSAGES.missingBrokers());

  const unsafeConfig = oneOf<UnsafeConfigMode>(
    'unsafeConfig',
    options.unsafeConfig ?? DEFAULT_OPTIONS.unsafeConfig,
    ['fail', 'warn'],
  );
  const warnings: string[] = [];
  const messageIdHeader = nonEmptyString(
    'messageIdHeader',
    options.messageIdHeader ?? DEFAULT_OPTIONS.messageIdHeader,
  );
  return {
    client,
    dedup: validateDedup(options.dedup ?? DEFAULT_OPTIONS.dedup),
    producer: validateProducer(options.producer ?? {}, messageIdHeader, unsafeConfig, warnings),
    unsafeConfig,
    shutdownTimeoutMs: positiveInteger(
      'shutdownTimeoutMs',
      options.shutdownTimeoutMs ?? DEFAULT_OPTIONS.shutdownTimeoutMs,
    ),
    messageIdHeader,
    messageIdExtractor: optionalFunction<MessageIdExtractor>(
      'messageIdExtractor',
      options.messageIdExtractor,
    ),
    deserializer:
      optionalFunction<MessageDeserializer>('deserializer', options.deserializer) ?? jsonDeserializer,
    consumer: resolveModuleHandlerDefaults(options.consumer),
    doctor: checkedDoctor(options.doctor),
    topics: checkedTopicSpecs(options.topics),
    allowTopicChanges: options.allowTopicChanges ?? false,
    metrics: validateMetrics(options.metrics),
    warnings,
  };
}

function validateDedup(dedup: DedupOptions): DedupOptions {
  const store = oneOf('dedup.store', dedup?.store, ['redis', 'postgres', 'memory', 'none'] as const);
  knownKeysOnly('dedup', dedup, KNOWN_OPTION_KEYS.dedup[store]);
  if (dedup.store === 'redis') redisUrl('dedup.url', dedup.url);
  if (dedup.store === 'postgres' && !dedup.dataSource)
    fail('dedup.dataSource', CONFIG_MESSAGES.postgresDataSource());
  if (store !== 'none' && dedup.store !== 'none') {
    // TTL bounds themselves are the dedup stores' business; here only their type.
    const claimTtlMs = positiveInteger('dedup.claimTtlMs', dedup.claimTtlMs ?? DEDUP_DEFAULTS.claimTtlMs);
    const retentionMs = positiveInteger('dedup.retentionMs', dedup.retentionMs ?? DEDUP_DEFAULTS.retentionMs);
    if (retentionMs < claimTtlMs)
      fail('dedup.retentionMs', CONFIG_MESSAGES.retentionBelowClaim(retentionMs, claimTtlMs));
  }
  return dedup;
}

function validateProducer(
  given: ReliableProducerOptions,
  moduleIdHeader: string,
  unsafeConfig: UnsafeConfigMode,
  warnings: string[],
): Required<ReliableProducerOptions> {
  knownKeysOnly('producer', given, KNOWN_OPTION_KEYS.producer);
  // The producer stamps the header the consumers read, unless the producer sets its own.
  const p = { ...DEFAULT_OPTIONS.producer, messageIdHeader: moduleIdHeader, ...stripUndefined(given) };
  const acks = oneOf('producer.acks', p.acks, [-1, 0, 1] as const);
  if (typeof p.idempotent !== 'boolean') fail('producer.idempotent', CONFIG_MESSAGES.boolean(p.idempotent));
  const unsafe = (option: string, message: { problem: string; fix: string }): void => {
    if (unsafeConfig === 'fail') fail(option, message);
    warnings.push(RUNTIME_MESSAGES.unsafeAccepted(`${option}: ${message.problem}`));
  };
  if (acks !== -1) unsafe('producer.acks', CONFIG_MESSAGES.unsafeAcks(acks));
  if (acks !== -1 && p.idempotent) fail('producer.idempotent', CONFIG_MESSAGES.idempotentNeedsAcksAll(acks));
  if (!p.idempotent) unsafe('producer.idempotent', CONFIG_MESSAGES.idempotenceOff());
  const initial = positiveInteger('producer.initialRetryTimeMs', p.initialRetryTimeMs);
  const max = positiveInteger('producer.maxRetryTimeMs', p.maxRetryTimeMs);
  if (max < initial)
    fail('producer.maxRetryTimeMs', CONFIG_MESSAGES.notLessThan('producer.initialRetryTimeMs'));
  const maxBufferedBytes = positiveInteger('producer.maxBufferedBytes', p.maxBufferedBytes);
  return {
    acks,
    idempotent: p.idempotent,
    deliveryTimeoutMs: positiveInteger('producer.deliveryTimeoutMs', p.deliveryTimeoutMs),
    initialRetryTimeMs: initial,
    maxRetryTimeMs: max,
    lingerMs: nonNegativeInteger('producer.lingerMs', p.lingerMs),
    messageIdHeader: nonEmptyString('producer.messageIdHeader', p.messageIdHeader),
    maxBufferedBytes,
    maxBufferedBytesPerTopic: positiveInteger(
      'producer.maxBufferedBytesPerTopic',
      p.maxBufferedBytesPerTopic ?? maxBufferedBytes,
    ),
    maxBlockMs: nonNegativeInteger('producer.maxBlockMs', p.maxBlockMs),
    maxRequestBytes: positiveInteger('producer.maxRequestBytes', p.maxRequestBytes),
    maxBatchBytes: positiveInteger('producer.maxBatchBytes', p.maxBatchBytes),
    metadataMaxAgeMs: positiveInteger('producer.metadataMaxAgeMs', p.metadataMaxAgeMs),
  };
}

function validateMetrics(
  metrics: ReliableKafkaModuleOptions['metrics'],
): ResolvedReliableKafkaOptions['metrics'] {
  if (metrics === false) return false;
  const given = metrics ?? {};
  if (typeof given !== 'object') fail('metrics', METRICS_CONFIG_MESSAGES.metrics(given));
  knownKeysOnly('metrics', given, KNOWN_OPTION_KEYS.metrics);
  const registry = given.registry ?? register;
  // Duck-typed: a second copy of prom-client (another version in node_modules) has its own Registry class.
  if (typeof registry?.getSingleMetric !== 'function' || typeof registry.metrics !== 'function')
    fail('metrics.registry', METRICS_CONFIG_MESSAGES.registry());
  const prefix = given.prefix ?? '';
  if (typeof prefix !== 'string' || !/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(prefix))
    fail('metrics.prefix', METRICS_CONFIG_MESSAGES.prefix(prefix));
  return { registry, prefix };
}

function resolveModuleHandlerDefaults(
  consumer: ReliableKafkaModuleOptions['consumer'],
): ResolvedReliableKafkaOptions['consumer'] {
  knownKeysOnly('consumer', consumer, KNOWN_OPTION_KEYS.handlerDefaults);
  return resolveHandlerDefaults('consumer', consumer, DEFAULT_OPTIONS.consumer);
}

function checkedDoctor(doctor: ReliableKafkaModuleOptions['doctor']): ResolvedReliableKafkaOptions['doctor'] {
  knownKeysOnly('doctor', doctor, KNOWN_OPTION_KEYS.doctor);
  return {
    mode: oneOf<DoctorMode>('doctor.mode', doctor?.mode ?? DEFAULT_OPTIONS.doctorMode, [
      'fail',
      'warn',
      'off',
    ]),
    topics: doctor?.topics ?? [],
  };
}

function checkedTopicSpecs(topics: ReliableKafkaModuleOptions['topics']): TopicSpec[] {
  (topics ?? []).forEach((spec, i) => knownKeysOnly(`topics[${i}]`, spec, KNOWN_OPTION_KEYS.topic));
  return topics ?? [];
}

/** `{ acks: undefined }` must not override a default. */
function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
