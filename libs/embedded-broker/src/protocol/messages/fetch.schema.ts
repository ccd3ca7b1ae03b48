import { arrayOf, field } from '../schema';

export const FetchRequestSchema = [
  field('replicaId', 'int32'),
  field('maxWaitMs', 'int32'),
  field('minBytes', 'int32'),
  field('maxBytes', 'int32', '3+', { default: 0x7fffffff }),
  field('isolationLevel', 'int8', '4+'),
  field('sessionId', 'int32', '7+'),
  field('sessionEpoch', 'int32', '7+', { default: -1 }),
  field(
    'topics',
    arrayOf([
      field('topic', 'string'),
      field(
        'partitions',
        arrayOf([
          field('partition', 'int32'),
          field('currentLeaderEpoch', 'int32', '9+', { default: -1 }),
          field('fetchOffset', 'int64'),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
          field('partitionMaxBytes', 'int32'),
        ]),
      ),
    ]),
  ),
  field(
    'forgottenTopicsData',
    arrayOf([field('topic', 'string'), field('partitions', arrayOf('int32'))]),
    '7+',
  ),
  field('rackId', 'string', '11+'),
];

export interface FetchPartitionRequest {
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: number;
  logStartOffset: number;
  partitionMaxBytes: number;
}

export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: Array<{ topic: string; partitions: FetchPartitionRequest[] }>;
}

export const FetchResponseSchema = [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '7+'),
  field('sessionId', 'int32', '7+'),
  field(
    'responses',
    arrayOf([
      field('topic', 'string'),
      field(
        'partitions',
        arrayOf([
          field('partitionIndex', 'int32'),
          field('errorCode', 'int16'),
          field('highWatermark', 'int64'),
          field('lastStableOffset', 'int64', '4+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
          field(
            'abortedTransactions',
            arrayOf([field('producerId', 'int64'), field('firstOffset', 'int64')]),
            '4+',
            {
              nullableVersions: '4+',
            },
          ),
          field('preferredReadReplica', 'int32', '11+', { default: -1 }),
          field('records', 'records'),
        ]),
      ),
    ]),
  ),
];

export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: Array<{ producerId: number; firstOffset: number }> | null;
  preferredReadReplica: number;
  records: Buffer[] | null;
}

export interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: Array<{ topic: string; partitions: FetchPartitionResponse[] }>;
}
