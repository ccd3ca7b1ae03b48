import { arrayOf, field } from '../schema';

/** OffsetFetch v1-4 (apache/kafka OffsetFetchRequest.json / Response.json); v0 read offsets from ZooKeeper. */
export const OffsetFetchRequestSchema = [
  field('groupId', 'string'),
  // Null (v2+) asks for every partition the group has committed.
  field('topics', arrayOf([field('name', 'string'), field('partitionIndexes', arrayOf('int32'))]), '0+', {
    nullableVersions: '2+',
  }),
];

export interface OffsetFetchRequest {
  groupId: string;
  topics: Array<{ name: string; partitionIndexes: number[] }> | null;
}

export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  committedOffset: number;
  metadata: string | null;
  errorCode: number;
}

export const OffsetFetchResponseSchema = [
  field('throttleTimeMs', 'int32', '3+'),
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field(
        'partitions',
        arrayOf([
          field('partitionIndex', 'int32'),
          field('committedOffset', 'int64'),
          field('metadata', 'nullableString'),
          field('errorCode', 'int16'),
        ]),
      ),
    ]),
  ),
  field('errorCode', 'int16', '2+'),
];

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: OffsetFetchResponsePartition[] }>;
  errorCode: number;
}
