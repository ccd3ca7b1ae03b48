import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  MetadataRequest,
  MetadataRequestSchema,
  MetadataResponse,
  MetadataResponseSchema,
  MetadataPartition,
} from '../protocol/messages/metadata.schema';
import { defineApi } from '../server/api-definition';
import { Cluster } from '../cluster/cluster';
import { Topic } from '../cluster/topic';

function describePartitions(topic: Topic): MetadataPartition[] {
  return topic.partitions.map((p) => ({
    errorCode: p.leader === -1 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
    partitionIndex: p.index,
    leaderId: p.leader,
    replicaNodes: p.replicas,
    isrNodes: p.isr,
    offlineReplicas: p.offlineReplicas(),
  }));
}

function describeTopic(
  cluster: Cluster,
  name: string,
  autoCreate: boolean,
): MetadataResponse['topics'][number] {
  const topic = cluster.topics.get(name) ?? (autoCreate ? cluster.autoCreate(name) : undefined);
  if (!topic)
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, isInternal: false, partitions: [] };
  return { errorCode: ErrorCode.NONE, name, isInternal: false, partitions: describePartitions(topic) };
}

export const metadataApi = defineApi<MetadataRequest, MetadataResponse>({
  apiKey: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 6,
  request: MetadataRequestSchema,
  response: MetadataResponseSchema,
  handle: ({ cluster, apiVersion }, req) => {
    // v0 has no null: an empty list means "all topics" there.
    const all = req.topics === null || (apiVersion === 0 && req.topics.length === 0);
    const names = all ? [...cluster.topics.keys()] : (req.topics ?? []).map((t) => t.name);
    const autoCreate = !all && req.allowAutoTopicCreation;
    return {
      throttleTimeMs: 0,
      brokers: cluster.aliveBrokers().map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: null })),
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId,
      topics: names.map((n) => describeTopic(cluster, n, autoCreate)),
    };
  },
  errorResponse: (req, code) => ({
    throttleTimeMs: 0,
    brokers: [],
    clusterId: null,
    controllerId: -1,
    topics: (req.topics ?? []).map((t) => ({
      errorCode: code,
      name: t.name,
      isInternal: false,
      partitions: [],
    })),
  }),
});
