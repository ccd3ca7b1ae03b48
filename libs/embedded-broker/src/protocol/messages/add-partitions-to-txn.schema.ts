import { arrayOf, field } from '../schema';

/** AddPartitionsToTxn (api key 24), versions 0-1 (the client form; v4+ batching is broker-to-broker). */
export const AddPartitionsToTxnRequestSchema = [
  field('transactionalId', 'string'),
  field('producerId', 'int64'),
  field('producerEpoch', 'int16'),
  field('topics', arrayOf([field('name', 'string'), field('partitions', arrayOf('int32'))])),
];

export interface AddPartitionsToTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  topics: Array<{ name: string; partitions: number[] }>;
}

export const AddPartitionsToTxnResponseSchema = [
  field('throttleTimeMs', 'int32'),
  field(
    'results',
    arrayOf([
      field('name', 'string'),
      field('results', arrayOf([field('partitionIndex', 'int32'), field('errorCode', 'int16')])),
    ]),
  ),
];

export interface AddPartitionsToTxnTopicResult {
  name: string;
  results: Array<{ partitionIndex: number; errorCode: number }>;
}

export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  results: AddPartitionsToTxnTopicResult[];
}
