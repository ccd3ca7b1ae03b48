import { arrayOf, field } from '../schema';

/** DescribeConfigs (32) v0-2; v1 adds includeSynonyms, configSource and synonyms (replacing isDefault). */
export const DescribeConfigsRequestSchema = [
  field(
    'resources',
    arrayOf([
      field('resourceType', 'int8'),
      field('resourceName', 'string'),
      field('configurationKeys', arrayOf('string'), '0+', { nullableVersions: '0+' }),
    ]),
  ),
  field('includeSynonyms', 'bool', '1+', { default: false }),
];

export interface DescribeConfigsRequest {
  resources: Array<{ resourceType: number; resourceName: string; configurationKeys: string[] | null }>;
  includeSynonyms: boolean;
}

export const DescribeConfigsResponseSchema = [
  field('throttleTimeMs', 'int32'),
  field(
    'results',
    arrayOf([
      field('errorCode', 'int16'),
      field('errorMessage', 'nullableString'),
      field('resourceType', 'int8'),
      field('resourceName', 'string'),
      field(
        'configs',
        arrayOf([
          field('name', 'string'),
          field('value', 'nullableString'),
          field('readOnly', 'bool'),
          field('isDefault', 'bool', '0'),
          field('configSource', 'int8', '1+', { default: -1 }),
          field('isSensitive', 'bool'),
          field(
            'synonyms',
            arrayOf([field('name', 'string'), field('value', 'nullableString'), field('source', 'int8')]),
            '1+',
          ),
        ]),
      ),
    ]),
  ),
];

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: number;
}

export interface DescribedConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: ConfigSynonym[];
}

export interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribedConfig[];
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}

/** Config resource types of DescribeConfigs / AlterConfigs (org.apache.kafka.common.config.ConfigResource.Type). */
export enum ConfigResourceType {
  Topic = 2,
  Broker = 4,
}

/** Where a described value comes from (DescribeConfigsResponse ConfigSource, v1+). */
export enum ConfigSource {
  Unknown = 0,
  TopicConfig = 1,
  DynamicBrokerConfig = 2,
  DynamicDefaultBrokerConfig = 3,
  StaticBrokerConfig = 4,
  DefaultConfig = 5,
}
