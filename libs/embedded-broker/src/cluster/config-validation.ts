import { TOPIC_CONFIG_DEFS, TopicConfigDef } from './config-validation-defs';

export { TOPIC_CONFIG_DEFS } from './config-validation-defs';
export type { TopicConfigDef } from './config-validation-defs';

/**
 * Validation of topic configs as Kafka's ConfigDef does it, so CreateTopics and AlterConfigs reject what a real
 * broker rejects: unknown names and unparsable or out-of-range values get INVALID_CONFIG. Only a few configs change
 * the embedded broker's behaviour (see TopicConfig users); the others are accepted and reported so that tools which
 * set them work unchanged.
 */
const DEFS = new Map(TOPIC_CONFIG_DEFS.map((d) => [d.name, d]));

const INT_RE = /^[+-]?\d+$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function parseNumber(def: TopicConfigDef, raw: string): number | string {
  const v = raw.trim();
  if (def.type === 'double') {
    const n = Number(v);
    return v === '' || Number.isNaN(n)
      ? `Invalid value ${raw} for configuration ${def.name}: Not a number of type DOUBLE`
      : n;
  }
  if (!INT_RE.test(v))
    return `Invalid value ${raw} for configuration ${def.name}: Not a number of type ${def.type.toUpperCase()}`;
  const big = BigInt(v);
  const [lo, hi] =
    def.type === 'int' ? [BigInt(INT32_MIN), BigInt(INT32_MAX)] : [-(2n ** 63n), 2n ** 63n - 1n];
  if (big < lo || big > hi)
    return `Invalid value ${raw} for configuration ${def.name}: Not a number of type ${def.type.toUpperCase()}`;
  return Number(big);
}

/** Checks one topic config as Kafka's ConfigDef would; returns the error message, or null when valid. */
export function validateTopicConfig(name: string, value: string | null): string | null {
  const def = DEFS.get(name);
  if (!def) return `Unknown topic config name: ${name}`;
  if (value === null) return `Null value not supported for topic configs: ${name}`;
  switch (def.type) {
    case 'boolean':
      return /^(true|false)$/i.test(value.trim())
        ? null
        : `Invalid value ${value} for configuration ${name}: Expected value to be either true or false`;
    case 'string':
      return !def.oneOf || def.oneOf.includes(value)
        ? null
        : `Invalid value ${value} for configuration ${name}: String must be one of: ${def.oneOf.join(', ')}`;
    case 'list': {
      const items = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const bad = def.oneOf ? items.find((i) => !def.oneOf?.includes(i)) : undefined;
      return bad === undefined
        ? null
        : `Invalid value ${bad} for configuration ${name}: String must be one of: ${def.oneOf?.join(', ')}`;
    }
    default: {
      const n = parseNumber(def, value);
      if (typeof n === 'string') return n;
      if (def.atLeast !== undefined && n < def.atLeast)
        return `Invalid value ${value} for configuration ${name}: Value must be at least ${def.atLeast}`;
      if (def.atMost !== undefined && n > def.atMost)
        return `Invalid value ${value} for configuration ${name}: Value must be no more than ${def.atMost}`;
      return null;
    }
  }
}

/** The first invalid entry of a config set, as an error message, or null when all are valid. */
export function validateTopicConfigs(
  configs: ReadonlyArray<{ name: string; value: string | null }>,
): string | null {
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
