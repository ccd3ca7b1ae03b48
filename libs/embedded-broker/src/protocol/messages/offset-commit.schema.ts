import { arrayOf, field } from '../schema';

/** OffsetCommit v0-5 (apache/kafka OffsetCommitRequest.json / Response.json). */
export const OffsetCommitRequestSchema = [
  field('groupId', 'string'),
  field('generationId', 'int32', '1+', { default: -1 }),
  field('memberId', 'string', '1+', { default: '' }),
  field('retentionTimeMs', 'int64', '2-4', { default: -1 }),
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field(
        'partitions',
        arrayOf([
          field('partitionIndex', 'int32'),
          field('committedOffset', 'int64'),
          field('commitTimestamp', 'int64', '1-1', { default: -1 }),
          field('committedMetadata', 'nullableString'),
        ]),
      ),
    ]),
  ),
];

export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: number;
  commitTimestamp: number;
  committedMetadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  retentionTimeMs: number;
  topics: Array<{ name: string; partitions: OffsetCommitRequestPartition[] }>;
}

export const OffsetCommitResponseSchema = [
  field('throttleTimeMs', 'int32', '3+'),
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field('partitions', arrayOf([field('partitionIndex', 'int32'), field('errorCode', 'int16')])),
    ]),
  ),
];

export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>;
}
