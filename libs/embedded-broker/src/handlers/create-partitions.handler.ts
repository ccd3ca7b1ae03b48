import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  CreatePartitionsRequest,
  CreatePartitionsRequestSchema,
  CreatePartitionsResponse,
  CreatePartitionsResponseSchema,
} from '../protocol/messages/create-partitions.schema';
import { defineApi } from '../server/api-definition';
import { addPartitions } from '../cluster/topic-admin-partitions';
import { duplicateNames } from './create-topics.handler';

/** CreatePartitions v0-1: grows a topic; a count not above the current one gets INVALID_PARTITIONS. */
export const createPartitionsApi = defineApi<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 1,
  request: CreatePartitionsRequestSchema,
  response: CreatePartitionsResponseSchema,
  handle: ({ cluster }, req) => {
    const dup = duplicateNames(req.topics.map((t) => t.name));
    return {
      throttleTimeMs: 0,
      results: req.topics.map((t) => {
        if (dup.has(t.name)) {
          return {
            name: t.name,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: 'Duplicate topic in request.',
          };
        }
        const r = addPartitions(cluster, t, req.validateOnly);
        return { name: t.name, errorCode: r.code, errorMessage: r.message };
      }),
    };
  },
  errorResponse: (req, code) => ({
    throttleTimeMs: 0,
    results: req.topics.map((t) => ({ name: t.name, errorCode: code, errorMessage: null })),
  }),
});
