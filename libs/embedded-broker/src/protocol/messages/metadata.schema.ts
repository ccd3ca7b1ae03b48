import { arrayOf, field } from '../schema';

export const MetadataRequestSchema = [
  field('topics', arrayOf([field('name', 'string')]), '0+', { nullableVersions: '1+' }),
  field('allowAutoTopicCreation', 'bool', '4+', { default: true }),
];

export interface MetadataRequest {
  topics: Array<{ name: string }> | null;
  allowAutoTopicCreation: boolean;
}

export const MetadataResponseSchema = [
  field('throttleTimeMs', 'int32', '3+'),
  field(
    'brokers',
    arrayOf([
      field('nodeId', 'int32'),
      field('host', 'string'),
      field('port', 'int32'),
      field('rack', 'nullableString', '1+'),
    ]),
  ),
  field('clusterId', 'nullableString', '2+'),
  field('controllerId', 'int32', '1+'),
  field(
    'topics',
    arrayOf([
      field('errorCode', 'int16'),
      field('name', 'string'),
      field('isInternal', 'bool', '1+'),
      field(
        'partitions',
        arrayOf([
          field('errorCode', 'int16'),
          field('partitionIndex', 'int32'),
          field('leaderId', 'int32'),
          field('replicaNodes', arrayOf('int32')),
          field('isrNodes', arrayOf('int32')),
          field('offlineReplicas', arrayOf('int32'), '5+'),
        ]),
      ),
    ]),
  ),
];

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: Array<{ nodeId: number; host: string; port: number; rack: string | null }>;
  clusterId: string | null;
  controllerId: number;
  topics: Array<{ errorCode: number; name: string; isInternal: boolean; partitions: MetadataPartition[] }>;
}
