import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  DeleteTopicsRequest,
  DeleteTopicsRequestSchema,
  DeleteTopicsResponse,
  DeleteTopicsResponseSchema,
} from '../protocol/messages/delete-topics.schema';
import { defineApi } from '../server/api-definition';

/** DeleteTopics v0-1: the topic and its data are gone at once; unknown names get UNKNOWN_TOPIC_OR_PARTITION. */
export const deleteTopicsApi = defineApi<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: ApiKey.DeleteTopics,
  minVersion: 0,
  maxVersion: 1,
  request: DeleteTopicsRequestSchema,
  response: DeleteTopicsResponseSchema,
  handle: ({ cluster, coordinators }, req) => ({
    throttleTimeMs: 0,
    responses: req.topicNames.map((name) => {
      const errorCode = cluster.deleteTopic(name);
      // A topic re-created under the same name must not inherit the old committed offsets.
      if (errorCode === ErrorCode.NONE) coordinators.groups.onTopicDeleted(name);
      return { name, errorCode };
    }),
  }),
  errorResponse: (req, code: ErrorCode) => ({
    throttleTimeMs: 0,
    responses: req.topicNames.map((name) => ({ name, errorCode: code })),
  }),
});
