/**
 * The topic configs Kafka defines (LogConfig): names, types, defaults, validators and the broker-level synonym a
 * cluster-wide default is set with.
 */
export type ConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list';

export interface TopicConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  readonly defaultValue: string;
  /** Smallest allowed numeric value. */
  readonly atLeast?: number;
  readonly atMost?: number;
  /** Allowed values of a string, or of each element of a list. */
  readonly oneOf?: readonly string[];
  /** The broker config a cluster-wide default of this topic config is set with (DescribeConfigs synonyms). */
  readonly brokerSynonym?: string;
}

const LONG_MAX = '9223372036854775807';

export const TOPIC_CONFIG_DEFS: readonly TopicConfigDef[] = [
  {
    name: 'cleanup.policy',
    type: 'list',
    defaultValue: 'delete',
    oneOf: ['compact', 'delete'],
    brokerSynonym: 'log.cleanup.policy',
  },
  {
    name: 'compression.type',
    type: 'string',
    defaultValue: 'producer',
    oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
    brokerSynonym: 'compression.type',
  },
  {
    name: 'delete.retention.ms',
    type: 'long',
    defaultValue: '86400000',
    atLeast: 0,
    brokerSynonym: 'log.cleaner.delete.retention.ms',
  },
  {
    name: 'file.delete.delay.ms',
    type: 'long',
    defaultValue: '60000',
    atLeast: 0,
    brokerSynonym: 'log.segment.delete.delay.ms',
  },
  {
    name: 'flush.messages',
    type: 'long',
    defaultValue: LONG_MAX,
    atLeast: 1,
    brokerSynonym: 'log.flush.interval.messages',
  },
  {
    name: 'flush.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    atLeast: 0,
    brokerSynonym: 'log.flush.interval.ms',
  },
  { name: 'follower.replication.throttled.replicas', type: 'list', defaultValue: '' },
  {
    name: 'index.interval.bytes',
    type: 'int',
    defaultValue: '4096',
    atLeast: 0,
    brokerSynonym: 'log.index.interval.bytes',
  },
  { name: 'leader.replication.throttled.replicas', type: 'list', defaultValue: '' },
  {
    name: 'local.retention.bytes',
    type: 'long',
    defaultValue: '-2',
    atLeast: -2,
    brokerSynonym: 'log.local.retention.bytes',
  },
  {
    name: 'local.retention.ms',
    type: 'long',
    defaultValue: '-2',
    atLeast: -2,
    brokerSynonym: 'log.local.retention.ms',
  },
  {
    name: 'max.compaction.lag.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    atLeast: 1,
    brokerSynonym: 'log.cleaner.max.compaction.lag.ms',
  },
  {
    name: 'max.message.bytes',
    type: 'int',
    defaultValue: '1048588',
    atLeast: 0,
    brokerSynonym: 'message.max.bytes',
  },
  {
    name: 'message.downconversion.enable',
    type: 'boolean',
    defaultValue: 'true',
    brokerSynonym: 'log.message.downconversion.enable',
  },
  {
    name: 'message.timestamp.after.max.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    atLeast: 0,
    brokerSynonym: 'log.message.timestamp.after.max.ms',
  },
  {
    name: 'message.timestamp.before.max.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    atLeast: 0,
    brokerSynonym: 'log.message.timestamp.before.max.ms',
  },
  {
    name: 'message.timestamp.difference.max.ms',
    type: 'long',
    defaultValue: LONG_MAX,
    atLeast: 0,
    brokerSynonym: 'log.message.timestamp.difference.max.ms',
  },
  {
    name: 'message.timestamp.type',
    type: 'string',
    defaultValue: 'CreateTime',
    oneOf: ['CreateTime', 'LogAppendTime'],
    brokerSynonym: 'log.message.timestamp.type',
  },
  {
    name: 'min.cleanable.dirty.ratio',
    type: 'double',
    defaultValue: '0.5',
    atLeast: 0,
    atMost: 1,
    brokerSynonym: 'log.cleaner.min.cleanable.ratio',
  },
  {
    name: 'min.compaction.lag.ms',
    type: 'long',
    defaultValue: '0',
    atLeast: 0,
    brokerSynonym: 'log.cleaner.min.compaction.lag.ms',
  },
  {
    name: 'min.insync.replicas',
    type: 'int',
    defaultValue: '1',
    atLeast: 1,
    brokerSynonym: 'min.insync.replicas',
  },
  { name: 'preallocate', type: 'boolean', defaultValue: 'false', brokerSynonym: 'log.preallocate' },
  { name: 'remote.storage.enable', type: 'boolean', defaultValue: 'false' },
  { name: 'retention.bytes', type: 'long', defaultValue: '-1', brokerSynonym: 'log.retention.bytes' },
  {
    name: 'retention.ms',
    type: 'long',
    defaultValue: '604800000',
    atLeast: -1,
    brokerSynonym: 'log.retention.ms',
  },
  {
    name: 'segment.bytes',
    type: 'int',
    defaultValue: '1073741824',
    atLeast: 14,
    brokerSynonym: 'log.segment.bytes',
  },
  {
    name: 'segment.index.bytes',
    type: 'int',
    defaultValue: '10485760',
    atLeast: 4,
    brokerSynonym: 'log.index.size.max.bytes',
  },
  {
    name: 'segment.jitter.ms',
    type: 'long',
    defaultValue: '0',
    atLeast: 0,
    brokerSynonym: 'log.roll.jitter.ms',
  },
  { name: 'segment.ms', type: 'long', defaultValue: '604800000', atLeast: 1, brokerSynonym: 'log.roll.ms' },
  {
    name: 'unclean.leader.election.enable',
    type: 'boolean',
    defaultValue: 'false',
    brokerSynonym: 'unclean.leader.election.enable',
  },
];
