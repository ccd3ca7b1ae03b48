import { arrayOf, field } from '../schema';

/** AlterConfigs (33) v0-1 (v1 only changes throttling behaviour). Replaces a resource's whole config set. */
export const AlterConfigsRequestSchema = [
  field(
    'resources',
    arrayOf([
      field('resourceType', 'int8'),
      field('resourceName', 'string'),
      field('configs', arrayOf([field('name', 'string'), field('value', 'nullableString')])),
    ]),
  ),
  field('validateOnly', 'bool'),
];

export interface AlterConfigsRequest {
  resources: Array<{
    resourceType: number;
    resourceName: string;
    configs: Array<{ name: string; value: string | null }>;
  }>;
  validateOnly: boolean;
}

export const AlterConfigsResponseSchema = [
  field('throttleTimeMs', 'int32'),
  field(
    'responses',
    arrayOf([
      field('errorCode', 'int16'),
      field('errorMessage', 'nullableString'),
      field('resourceType', 'int8'),
      field('resourceName', 'string'),
    ]),
  ),
];

export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: Array<{
    errorCode: number;
    errorMessage: string | null;
    resourceType: number;
    resourceName: string;
  }>;
}
