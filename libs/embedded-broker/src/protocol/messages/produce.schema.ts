import { arrayOf, field } from '../schema';

export const ProduceRequestSchema = [
  field('transactionalId', 'nullableString', '3+'),
  field('acks', 'int16'),
  field('timeoutMs', 'int32'),
  field(
    'topicData',
    arrayOf([
      field('name', 'string'),
      field('partitionData', arrayOf([field('index', 'int32'), field('records', 'records')])),
    ]),
  ),
];

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: Array<{ name: string; partitionData: Array<{ index: number; records: Buffer | null }> }>;
}

export const ProduceResponseSchema = [
  field(
    'responses',
    arrayOf([
      field('name', 'string'),
      field(
        'partitionResponses',
        arrayOf([
          field('index', 'int32'),
          field('errorCode', 'int16'),
          field('baseOffset', 'int64'),
          field('logAppendTimeMs', 'int64', '2+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
        ]),
      ),
    ]),
  ),
  field('throttleTimeMs', 'int32', '1+'),
];

export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}

export interface ProduceResponse {
  responses: Array<{ name: string; partitionResponses: ProducePartitionResponse[] }>;
  throttleTimeMs: number;
}
