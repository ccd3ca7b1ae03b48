import { arrayOf, field } from '../schema';

export const ListOffsetsRequestSchema = [
  field('replicaId', 'int32'),
  field('isolationLevel', 'int8', '2+'),
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field('partitions', arrayOf([field('partitionIndex', 'int32'), field('timestamp', 'int64')])),
    ]),
  ),
];

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; timestamp: number }> }>;
}

export const ListOffsetsResponseSchema = [
  field('throttleTimeMs', 'int32', '2+'),
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field(
        'partitions',
        arrayOf([
          field('partitionIndex', 'int32'),
          field('errorCode', 'int16'),
          field('timestamp', 'int64', '1+', { default: -1 }),
          field('offset', 'int64', '1+', { default: -1 }),
        ]),
      ),
    ]),
  ),
];

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  timestamp: number;
  offset: number;
}

export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: ListOffsetsPartitionResponse[] }>;
}
