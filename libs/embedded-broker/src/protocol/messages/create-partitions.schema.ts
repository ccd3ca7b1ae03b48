import { arrayOf, field } from '../schema';

/** CreatePartitions (37) v0-1 (v1 only changes throttling behaviour). */
export const CreatePartitionsRequestSchema = [
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field('count', 'int32'),
      field('assignments', arrayOf([field('brokerIds', arrayOf('int32'))]), '0+', { nullableVersions: '0+' }),
    ]),
  ),
  field('timeoutMs', 'int32'),
  field('validateOnly', 'bool'),
];

export interface CreatePartitionsTopic {
  name: string;
  /** The new total partition count. */
  count: number;
  /** Replicas of each new partition; null or empty: the broker places them. */
  assignments: Array<{ brokerIds: number[] | null }> | null;
}

export interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export const CreatePartitionsResponseSchema = [
  field('throttleTimeMs', 'int32'),
  field(
    'results',
    arrayOf([field('name', 'string'), field('errorCode', 'int16'), field('errorMessage', 'nullableString')]),
  ),
];

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: Array<{ name: string; errorCode: number; errorMessage: string | null }>;
}
