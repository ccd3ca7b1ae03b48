import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  CreateTopicsRequest,
  CreateTopicsRequestSchema,
  CreateTopicsResponse,
  CreateTopicsResponseSchema,
} from '../protocol/messages/create-topics.schema';
import { defineApi } from '../server/api-definition';
import { createTopicChecked } from '../cluster/topic-admin';

/** Names listed more than once in one request; Kafka refuses all entries of such a name with INVALID_REQUEST. */
export function duplicateNames(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return dup;
}

/**
 * CreateTopics v0-3. Any broker accepts it (as a KRaft broker forwards to the controller); creation is immediate,
 * so timeoutMs is not waited on.
 */
export const createTopicsApi = defineApi<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: ApiKey.CreateTopics,
  minVersion: 0,
  maxVersion: 3,
  request: CreateTopicsRequestSchema,
  response: CreateTopicsResponseSchema,
  handle: ({ cluster }, req) => {
    const dup = duplicateNames(req.topics.map((t) => t.name));
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => {
        if (dup.has(t.name)) {
          return {
            name: t.name,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: `Found multiple entries for topic ${t.name}.`,
          };
        }
        const r = createTopicChecked(cluster, t, req.validateOnly);
        return { name: t.name, errorCode: r.code, errorMessage: r.message };
      }),
    };
  },
  errorResponse: (req, code) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, errorCode: code, errorMessage: null })),
  }),
});
