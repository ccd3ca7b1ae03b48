import { arrayOf, field } from '../schema';

/** DeleteTopics (20) v0-1; v1 adds the throttle time to the response. */
export const DeleteTopicsRequestSchema = [
  field('topicNames', arrayOf('string')),
  field('timeoutMs', 'int32'),
];

export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}

export const DeleteTopicsResponseSchema = [
  field('throttleTimeMs', 'int32', '1+'),
  field('responses', arrayOf([field('name', 'string'), field('errorCode', 'int16')])),
];

export interface DeleteTopicsResponse {
  throttleTimeMs: number;
  responses: Array<{ name: string; errorCode: number }>;
}
