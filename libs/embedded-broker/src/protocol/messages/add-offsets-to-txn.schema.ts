import { field } from '../schema';

/** AddOffsetsToTxn (api key 25), versions 0-1. */
export const AddOffsetsToTxnRequestSchema = [
  field('transactionalId', 'string'),
  field('producerId', 'int64'),
  field('producerEpoch', 'int16'),
  field('groupId', 'string'),
];

export interface AddOffsetsToTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  groupId: string;
}

export const AddOffsetsToTxnResponseSchema = [field('throttleTimeMs', 'int32'), field('errorCode', 'int16')];

export interface AddOffsetsToTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}
