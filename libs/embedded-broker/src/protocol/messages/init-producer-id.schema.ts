import { field } from '../schema';

/** InitProducerId (api key 22), versions 0-1 (v1 only changes throttling behaviour). */
export const InitProducerIdRequestSchema = [
  field('transactionalId', 'nullableString'),
  field('transactionTimeoutMs', 'int32'),
];

export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
}

export const InitProducerIdResponseSchema = [
  field('throttleTimeMs', 'int32'),
  field('errorCode', 'int16'),
  field('producerId', 'int64', '0+', { default: -1 }),
  field('producerEpoch', 'int16'),
];

export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}
