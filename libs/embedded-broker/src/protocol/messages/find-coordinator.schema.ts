import { field } from '../schema';

/** FindCoordinator v0-2 (apache/kafka FindCoordinatorRequest.json / Response.json). */
export const FindCoordinatorRequestSchema = [
  field('key', 'string'),
  field('keyType', 'int8', '1+', { default: 0 }),
];

export interface FindCoordinatorRequest {
  key: string;
  /** 0 = consumer group, 1 = transactional id. */
  keyType: number;
}

export const FindCoordinatorResponseSchema = [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16'),
  field('errorMessage', 'nullableString', '1+'),
  field('nodeId', 'int32'),
  field('host', 'string'),
  field('port', 'int32'),
];

export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}
