import {
  TOPIC_CONFIG_DEFS,
  normalizeTopicConfigValue,
  validateTopicConfig,
  validateTopicConfigs,
} from './config-validation';
import { TOPIC_CONFIG_DEFAULTS } from './configs';

describe('topic config validation', () => {
  it("accepts every config's own default", () => {
    for (const def of TOPIC_CONFIG_DEFS)
      expect([def.name, validateTopicConfig(def.name, def.defaultValue)]).toEqual([def.name, null]);
  });

  it('derives TOPIC_CONFIG_DEFAULTS from the definitions', () => {
    expect(Object.keys(TOPIC_CONFIG_DEFAULTS).sort()).toEqual(TOPIC_CONFIG_DEFS.map((d) => d.name).sort());
    expect(TOPIC_CONFIG_DEFAULTS['retention.ms']).toBe('604800000');
  });

  it('rejects unknown names and null values', () => {
    expect(validateTopicConfig('retention.hours', '1')).toBe('Unknown topic config name: retention.hours');
    expect(validateTopicConfig('retention.ms', null)).toMatch(/Null value/);
  });

  it.each([
    ['min.insync.replicas', '0', /at least 1/],
    ['min.insync.replicas', '1.5', /INT/],
    ['min.insync.replicas', '2147483648', /INT/],
    ['retention.ms', '-2', /at least -1/],
    ['retention.ms', 'soon', /LONG/],
    ['unclean.leader.election.enable', '1', /true or false/],
    ['cleanup.policy', 'compact,erase', /erase/],
    ['compression.type', 'brotli', /one of/],
    ['min.cleanable.dirty.ratio', '1.5', /no more than 1/],
  ])('rejects %s=%s', (name, value, message) => {
    expect(validateTopicConfig(name, value)).toMatch(message);
  });

  it.each([
    ['min.insync.replicas', ' 3 '],
    ['retention.ms', '-1'],
    ['retention.bytes', '-1'],
    ['retention.bytes', '9223372036854775807'],
    ['unclean.leader.election.enable', 'TRUE'],
    ['cleanup.policy', 'compact, delete'],
    ['min.cleanable.dirty.ratio', '0.25'],
  ])('accepts %s=%s', (name, value) => {
    expect(validateTopicConfig(name, value)).toBeNull();
  });

  it('reports the first invalid entry of a set', () => {
    expect(
      validateTopicConfigs([
        { name: 'retention.ms', value: '1' },
        { name: 'x', value: '1' },
      ]),
    ).toMatch(/Unknown topic config name: x/);
    expect(validateTopicConfigs([])).toBeNull();
  });

  it('normalizes booleans and numbers as stored values', () => {
    expect(normalizeTopicConfigValue('unclean.leader.election.enable', ' TRUE ')).toBe('true');
    expect(normalizeTopicConfigValue('min.insync.replicas', ' 2 ')).toBe('2');
    expect(normalizeTopicConfigValue('compression.type', 'gzip')).toBe('gzip');
  });
});
