import { arrayOf, field } from '../schema';

/** CreateTopics (19) v0-3; v1 adds validateOnly and per-topic error messages, v2 the throttle time. */
export const CreateTopicsRequestSchema = [
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field('numPartitions', 'int32'),
      field('replicationFactor', 'int16'),
      field('assignments', arrayOf([field('partitionIndex', 'int32'), field('brokerIds', arrayOf('int32'))])),
      field('configs', arrayOf([field('name', 'string'), field('value', 'nullableString')])),
    ]),
  ),
  field('timeoutMs', 'int32', '0+', { default: 60000 }),
  field('validateOnly', 'bool', '1+', { default: false }),
];

export interface CreatableTopic {
  name: string;
  /** -1: the broker default (or the assignment's size). */
  numPartitions: number;
  /** -1: the broker default (or the assignment's size). */
  replicationFactor: number;
  assignments: Array<{ partitionIndex: number; brokerIds: number[] }>;
  configs: Array<{ name: string; value: string | null }>;
}

export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export const CreateTopicsResponseSchema = [
  field('throttleTimeMs', 'int32', '2+'),
  field(
    'topics',
    arrayOf([
      field('name', 'string'),
      field('errorCode', 'int16'),
      field('errorMessage', 'nullableString', '1+'),
    ]),
  ),
];

export interface CreateTopicsResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; errorCode: number; errorMessage: string | null }>;
}
