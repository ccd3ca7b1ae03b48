import { arrayOf, field } from '../schema';

export const ApiVersionsRequestSchema = [] as const;

export const ApiVersionsResponseSchema = [
  field('errorCode', 'int16'),
  field(
    'apiKeys',
    arrayOf([field('apiKey', 'int16'), field('minVersion', 'int16'), field('maxVersion', 'int16')]),
  ),
  field('throttleTimeMs', 'int32', '1+'),
];

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: Array<{ apiKey: number; minVersion: number; maxVersion: number }>;
  throttleTimeMs?: number;
}
