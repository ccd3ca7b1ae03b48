import { field } from '../schema';

/** EndTxn (api key 26), versions 0-1. */
export const EndTxnRequestSchema = [
  field('transactionalId', 'string'),
  field('producerId', 'int64'),
  field('producerEpoch', 'int16'),
  field('committed', 'bool'),
];

export interface EndTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  committed: boolean;
}

export const EndTxnResponseSchema = [field('throttleTimeMs', 'int32'), field('errorCode', 'int16')];

export interface EndTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}
