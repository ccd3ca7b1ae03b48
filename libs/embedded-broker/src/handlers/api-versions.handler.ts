import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  ApiVersionsRequestSchema,
  ApiVersionsResponse,
  ApiVersionsResponseSchema,
} from '../protocol/messages/api-versions.schema';
import { ApiDefinition, defineApi } from '../server/api-definition';

/** ApiVersions advertises exactly the registry's ranges, so clients never pick a version we cannot parse. */
export function apiVersionsApi(all: () => readonly ApiDefinition[]): ApiDefinition {
  const list = (errorCode: ErrorCode): ApiVersionsResponse => ({
    errorCode,
    apiKeys: all().map((d) => ({ apiKey: d.apiKey, minVersion: d.minVersion, maxVersion: d.maxVersion })),
  });
  return defineApi<object, ApiVersionsResponse>({
    apiKey: ApiKey.ApiVersions,
    minVersion: 0,
    maxVersion: 2,
    request: ApiVersionsRequestSchema,
    response: ApiVersionsResponseSchema,
    handle: () => list(ErrorCode.NONE),
    errorResponse: (_req, code) => list(code),
  });
}
