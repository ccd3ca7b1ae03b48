/**
 * The topic configs Kafka defines (LogConfig), with their types, defaults and validators, so CreateTopics and
 * AlterConfigs reject what a real broker rejects: unknown names and unparsable or out-of-range values get
 * INVALID_CONFIG. Only a few of them change the embedded broker's behaviour (see TopicConfig users); the others
 * are accepted and reported so that tools which set them work unchanged.
 */
type ConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list';

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
  { name: 'cleanup.policy', type: 'list', defaultValue: 'delete', oneOf: ['compact', 'delete'], brokerSynonym: 'log.cleanup.policy' },
  {
    name: 'compression.type',
    type: 'string',
    defaultValue: 'producer',
    oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
    brokerSynonym: 'compression.type',
  },
  { name: 'delete.retention.ms', type: 'long', defaultValue: '86400000', atLeast: 0, brokerSynonym: 'log.cleaner.delete.retention.ms' },
  { name: 'file.delete.delay.ms', type: 'long', defaultValue: '60000', atLeast: 0, brokerSynonym: 'log.segment.delete.delay.ms' },
  { name: 'flush.messages', type: 'long', defaultValue: LONG_MAX, atLeast: 1, brokerSynonym: 'log.flush.interval.messages' },
  { name: 'flush.ms', type: 'long', defaultValue: LONG_MAX, atLeast: 0, brokerSynonym: 'log.flush.interval.ms' },
  { name: 'follower.replication.throttled.replicas', type: 'list', defaultValue: '' },
  { name: 'index.interval.bytes', type: 'int', defaultValue: '4096', atLeast: 0, brokerSynonym: 'log.index.interval.bytes' },
  { name: 'leader.replication.throttled.replicas', type: 'list', defaultValue: '' },
  { name: 'local.retention.bytes', type: 'long', defaultValue: '-2', atLeast: -2, brokerSynonym: 'log.local.retention.bytes' },
  { name: 'local.retention.ms', type: 'long', defaultValue: '-2', atLeast: -2, brokerSynonym: 'log.local.retention.ms' },
  { name: 'max.compaction.lag.ms', type: 'long', defaultValue: LONG_MAX, atLeast: 1, brokerSynonym: 'log.cleaner.max.compaction.lag.ms' },
  { name: 'max.message.bytes', type: 'int', defaultValue: '1048588', atLeast: 0, brokerSynonym: 'message.max.bytes' },
  { name: 'message.downconversion.enable', type: 'boolean', defaultValue: 'true', brokerSynonym: 'log.message.downconversion.enable' },
  { name: 'message.timestamp.after.max.ms', type: 'long', defaultValue: LONG_MAX, atLeast: 0, brokerSynonym: 'log.message.timestamp.after.max.ms' },
  { name: 'message.timestamp.before.max.ms', type: 'long', defaultValue: LONG_MAX, atLeast: 0, brokerSynonym: 'log.message.timestamp.before.max.ms' },
  { name: 'message.timestamp.difference.max.ms', type: 'long', defaultValue: LONG_MAX, atLeast: 0, brokerSynonym: 'log.message.timestamp.difference.max.ms' },
  {
    name: 'message.timestamp.type',
    type: 'string',
    defaultValue: 'CreateTime',
    oneOf: ['CreateTime', 'LogAppendTime'],
    brokerSynonym: 'log.message.timestamp.type',
  },
  { name: 'min.cleanable.dirty.ratio', type: 'double', defaultValue: '0.5', atLeast: 0, atMost: 1, brokerSynonym: 'log.cleaner.min.cleanable.ratio' },
  { name: 'min.compaction.lag.ms', type: 'long', defaultValue: '0', atLeast: 0, brokerSynonym: 'log.cleaner.min.compaction.lag.ms' },
  { name: 'min.insync.replicas', type: 'int', defaultValue: '1', atLeast: 1, brokerSynonym: 'min.insync.replicas' },
  { name: 'preallocate', type: 'boolean', defaultValue: 'false', brokerSynonym: 'log.preallocate' },
  { name: 'remote.storage.enable', type: 'boolean', defaultValue: 'false' },
  { name: 'retention.bytes', type: 'long', defaultValue: '-1', brokerSynonym: 'log.retention.bytes' },
  { name: 'retention.ms', type: 'long', defaultValue: '604800000', atLeast: -1, brokerSynonym: 'log.retention.ms' },
  { name: 'segment.bytes', type: 'int', defaultValue: '1073741824', atLeast: 14, brokerSynonym: 'log.segment.bytes' },
  { name: 'segment.index.bytes', type: 'int', defaultValue: '10485760', atLeast: 4, brokerSynonym: 'log.index.size.max.bytes' },
  { name: 'segment.jitter.ms', type: 'long', defaultValue: '0', atLeast: 0, brokerSynonym: 'log.roll.jitter.ms' },
  { name: 'segment.ms', type: 'long', defaultValue: '604800000', atLeast: 1, brokerSynonym: 'log.roll.ms' },
  {
    name: 'unclean.leader.election.enable',
    type: 'boolean',
    defaultValue: 'false',
    brokerSynonym: 'unclean.leader.election.enable',
  },
];

const DEFS = new Map(TOPIC_CONFIG_DEFS.map((d) => [d.name, d]));

export function topicConfigDef(name: string): TopicConfigDef | undefined {
  return DEFS.get(name);
}

const INT_RE = /^[+-]?\d+$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function parseNumber(def: TopicConfigDef, raw: string): number | string {
  const v = raw.trim();
  if (def.type === 'double') {
    const n = Number(v);
    return v === '' || Number.isNaN(n) ? `Invalid value ${raw} for configuration ${def.name}: Not a number of type DOUBLE` : n;
  }
  if (!INT_RE.test(v)) return `Invalid value ${raw} for configuration ${def.name}: Not a number of type ${def.type.toUpperCase()}`;
  const big = BigInt(v);
  const [lo, hi] = def.type === 'int' ? [BigInt(INT32_MIN), BigInt(INT32_MAX)] : [-(2n ** 63n), 2n ** 63n - 1n];
  if (big < lo || big > hi) return `Invalid value ${raw} for configuration ${def.name}: Not a number of type ${def.type.toUpperCase()}`;
  return Number(big);
}

/** Checks one topic config as Kafka's ConfigDef would; returns the error message, or null when valid. */
export function validateTopicConfig(name: string, value: string | null): string | null {
  const def = DEFS.get(name);
  if (!def) return `Unknown topic config name: ${name}`;
  if (value === null) return `Null value not supported for topic configs: ${name}`;
  switch (def.type) {
    case 'boolean':
      return /^(true|false)$/i.test(value.trim()) ? null : `Invalid value ${value} for configuration ${name}: Expected value to be either true or false`;
    case 'string':
      return !def.oneOf || def.oneOf.includes(value) ? null : `Invalid value ${value} for configuration ${name}: String must be one of: ${def.oneOf.join(', ')}`;
    case 'list': {
      const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const bad = def.oneOf ? items.find((i) => !def.oneOf?.includes(i)) : undefined;
      return bad === undefined ? null : `Invalid value ${bad} for configuration ${name}: String must be one of: ${def.oneOf?.join(', ')}`;
    }
    default: {
      const n = parseNumber(def, value);
      if (typeof n === 'string') return n;
      if (def.atLeast !== undefined && n < def.atLeast) return `Invalid value ${value} for configuration ${name}: Value must be at least ${def.atLeast}`;
      if (def.atMost !== undefined && n > def.atMost) return `Invalid value ${value} for configuration ${name}: Value must be no more than ${def.atMost}`;
      return null;
    }
  }
}

/** The first invalid entry of a config set, as an error message, or null when all are valid. */
export function validateTopicConfigs(configs: ReadonlyArray<{ name: string; value: string | null }>): string | null {
  for (const c of configs) {
    const err = validateTopicConfig(c.name, c.value);
    if (err) return err;
  }
  return null;
}

/** The value as the broker stores it: trimmed, booleans lower-cased (TopicConfig.bool compares with 'true'). */
export function normalizeTopicConfigValue(name: string, value: string): string {
  const def = DEFS.get(name);
  if (!def || def.type === 'string' || def.type === 'list') return value;
  return def.type === 'boolean' ? value.trim().toLowerCase() : value.trim();
}
