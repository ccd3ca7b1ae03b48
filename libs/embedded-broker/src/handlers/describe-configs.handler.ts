import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  ConfigResourceType,
  ConfigSource,
  DescribeConfigsRequest,
  DescribeConfigsRequestSchema,
  DescribeConfigsResponse,
  DescribeConfigsResponseSchema,
  DescribeConfigsResult,
} from '../protocol/messages/describe-configs.schema';
import { defineApi } from '../server/api-definition';
import { RequestContext } from '../server/request-context';
import {
  ConfigDescription,
  describeBrokerConfigs,
  describeTopicConfigs,
} from '../cluster/config-description';
import { isValidTopicName } from '../cluster/topic';

type Resource = DescribeConfigsRequest['resources'][number];

function failed(r: Resource, code: ErrorCode, message: string): DescribeConfigsResult {
  return {
    errorCode: code,
    errorMessage: message,
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    configs: [],
  };
}

/** The configs of one resource, or the error Kafka answers with for it. */
function lookup(ctx: RequestContext, r: Resource): ConfigDescription[] | DescribeConfigsResult {
  if (r.resourceType === ConfigResourceType.Topic) {
    if (!isValidTopicName(r.resourceName))
      return failed(r, ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${r.resourceName}" is illegal.`);
    const topic = ctx.cluster.topics.get(r.resourceName);
    if (!topic)
      return failed(r, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${r.resourceName}' does not exist.`);
    return describeTopicConfigs(ctx.cluster, topic.config);
  }
  if (r.resourceType === ConfigResourceType.Broker) {
    // An empty name asks for the cluster-wide dynamic defaults, of which the embedded broker has none.
    if (r.resourceName === '') return [];
    if (r.resourceName !== String(ctx.brokerId)) {
      return failed(
        r,
        ErrorCode.INVALID_REQUEST,
        `Unexpected broker id, expected ${ctx.brokerId} or empty string, but received ${r.resourceName}`,
      );
    }
    return describeBrokerConfigs(ctx.cluster, ctx.brokerId);
  }
  return failed(r, ErrorCode.INVALID_REQUEST, `Unsupported resource type ${r.resourceType}`);
}

function describe(ctx: RequestContext, r: Resource, includeSynonyms: boolean): DescribeConfigsResult {
  const found = lookup(ctx, r);
  if (!Array.isArray(found)) return found;
  const keys = r.configurationKeys ? new Set(r.configurationKeys) : null;
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    configs: found
      .filter((c) => !keys || keys.has(c.name))
      .map((c) => ({
        name: c.name,
        value: c.value,
        readOnly: c.readOnly,
        isDefault: c.source === ConfigSource.DefaultConfig,
        configSource: c.source,
        isSensitive: false,
        synonyms: includeSynonyms ? c.synonyms.map((s) => ({ ...s })) : [],
      })),
  };
}

/** DescribeConfigs v0-2 for topics (type 2) and brokers (type 4, answered by that broker itself). */
export const describeConfigsApi = defineApi<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: ApiKey.DescribeConfigs,
  minVersion: 0,
  maxVersion: 2,
  request: DescribeConfigsRequestSchema,
  response: DescribeConfigsResponseSchema,
  handle: (ctx, req) => ({
    throttleTimeMs: 0,
    results: req.resources.map((r) => describe(ctx, r, req.includeSynonyms)),
  }),
  errorResponse: (req, code) => ({
    throttleTimeMs: 0,
    results: req.resources.map((r) => failed(r, code, '')),
  }),
});
