import { ApiDefinition } from '../server/api-definition';
import { apiVersionsApi } from './api-versions.handler';
import { metadataApi } from './metadata.handler';
import { produceApi } from './produce.handler';
import { fetchApi } from './fetch.handler';
import { listOffsetsApi } from './list-offsets.handler';

/** Every API the embedded broker serves. ApiVersions lists this same set. */
export function allApis(): ApiDefinition[] {
  const apis: ApiDefinition[] = [metadataApi, produceApi, fetchApi, listOffsetsApi];
  apis.push(apiVersionsApi(() => apis));
  return apis;
}
