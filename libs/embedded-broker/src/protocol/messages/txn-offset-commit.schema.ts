import { arrayOf, field } from '../schema';

/** TxnOffsetCommit (api key 28), versions 0-1 (v2 adds the leader epoch, v3 is flexible). */
export const TxnOffsetCommitRequestSchema = [
  field('transactionalId', 'string'),
  field('groupId', 'string'),
  field('producerId', 'int64'),
  field('producerEpoch', 'int16'),
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field(
        'partitions',
        arrayOf([
          field('partitionIndex', 'int32'),
          field('committedOffset', 'int64'),
          field('committedMetadata', 'nullableString'),
        ]),
      ),
    ]),
  ),
];

export interface TxnOffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: number;
  committedMetadata: string | null;
}

export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: number;
  producerEpoch: number;
  topics: Array<{ name: string; partitions: TxnOffsetCommitRequestPartition[] }>;
}

export const TxnOffsetCommitResponseSchema = [
  field('throttleTimeMs', 'int32'),
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field('partitions', arrayOf([field('partitionIndex', 'int32'), field('errorCode', 'int16')])),
    ]),
  ),
];

export interface TxnOffsetCommitResponseTopic {
  name: string;
  partitions: Array<{ partitionIndex: number; errorCode: number }>;
}

export interface TxnOffsetCommitResponse {
  throttleTimeMs: number;
  topics: TxnOffsetCommitResponseTopic[];
}
