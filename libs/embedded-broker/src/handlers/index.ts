import { ApiDefinition } from '../server/api-definition';
import { apiVersionsApi } from './api-versions.handler';
import { metadataApi } from './metadata.handler';

/** Every API the embedded broker serves. ApiVersions lists this same set. */
export function allApis(): ApiDefinition[] {
  const apis: ApiDefinition[] = [metadataApi];
  apis.push(apiVersionsApi(() => apis));
  return apis;
}
