import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  AlterConfigsRequest,
  AlterConfigsRequestSchema,
  AlterConfigsResponse,
  AlterConfigsResponseSchema,
} from '../protocol/messages/alter-configs.schema';
import { ConfigResourceType } from '../protocol/messages/describe-configs.schema';
import { defineApi } from '../server/api-definition';
import { Cluster } from '../cluster/cluster';
import { normalizeTopicConfigValue, validateTopicConfigs } from '../cluster/config-validation';

type Resource = AlterConfigsRequest['resources'][number];

function alter(
  cluster: Cluster,
  r: Resource,
  validateOnly: boolean,
): { code: ErrorCode; message: string | null } {
  if (r.resourceType === ConfigResourceType.Broker) {
    return {
      code: ErrorCode.INVALID_REQUEST,
      message: 'The embedded broker has no dynamic broker configs: set them when starting it.',
    };
  }
  if (r.resourceType !== ConfigResourceType.Topic)
    return { code: ErrorCode.INVALID_REQUEST, message: `Unsupported resource type ${r.resourceType}` };
  const topic = cluster.topics.get(r.resourceName);
  if (!topic)
    return {
      code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      message: `Topic '${r.resourceName}' does not exist.`,
    };
  const invalid = validateTopicConfigs(r.configs);
  if (invalid) return { code: ErrorCode.INVALID_CONFIG, message: invalid };
  if (validateOnly) return { code: ErrorCode.NONE, message: null };
  // AlterConfigs is not incremental: whatever the request does not list reverts to the default.
  for (const [name] of topic.config.entries())
    if (topic.config.isExplicit(name)) topic.config.set(name, null);
  for (const c of r.configs) topic.config.set(c.name, normalizeTopicConfigValue(c.name, c.value as string));
  cluster.notifyChange();
  return { code: ErrorCode.NONE, message: null };
}

/** AlterConfigs v0-1: replaces a topic's config set (validated like CreateTopics' configs). */
export const alterConfigsApi = defineApi<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  request: AlterConfigsRequestSchema,
  response: AlterConfigsResponseSchema,
  handle: ({ cluster }, req) => ({
    throttleTimeMs: 0,
    responses: req.resources.map((r) => {
      const { code, message } = alter(cluster, r, req.validateOnly);
      return {
        errorCode: code,
        errorMessage: message,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
      };
    }),
  }),
  errorResponse: (req, code) => ({
    throttleTimeMs: 0,
    responses: req.resources.map((r) => ({
      errorCode: code,
      errorMessage: null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
    })),
  }),
});
