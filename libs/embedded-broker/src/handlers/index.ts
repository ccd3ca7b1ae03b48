import { ApiDefinition } from '../server/api-definition';
import { apiVersionsApi } from './api-versions.handler';
import { metadataApi } from './metadata.handler';
import { produceApi } from './produce.handler';
import { fetchApi } from './fetch.handler';
import { listOffsetsApi } from './list-offsets.handler';
import { createTopicsApi } from './create-topics.handler';
import { deleteTopicsApi } from './delete-topics.handler';
import { createPartitionsApi } from './create-partitions.handler';
import { describeConfigsApi } from './describe-configs.handler';
import { alterConfigsApi } from './alter-configs.handler';
import { initProducerIdApi } from './init-producer-id.handler';
import { addPartitionsToTxnApi } from './add-partitions-to-txn.handler';
import { addOffsetsToTxnApi } from './add-offsets-to-txn.handler';
import { endTxnApi } from './end-txn.handler';
import { txnOffsetCommitApi } from './txn-offset-commit.handler';
import { findCoordinatorApi } from './find-coordinator.handler';
import { joinGroupApi } from './join-group.handler';
import { syncGroupApi } from './sync-group.handler';
import { heartbeatApi } from './heartbeat.handler';
import { leaveGroupApi } from './leave-group.handler';
import { offsetCommitApi } from './offset-commit.handler';
import { offsetFetchApi } from './offset-fetch.handler';
import { listGroupsApi } from './list-groups.handler';
import { describeGroupsApi } from './describe-groups.handler';
import { deleteGroupsApi } from './delete-groups.handler';

/** Every API the embedded broker serves. ApiVersions lists this same set. */
export function allApis(): ApiDefinition[] {
  const apis: ApiDefinition[] = [metadataApi, produceApi, fetchApi, listOffsetsApi];
  apis.push(createTopicsApi, deleteTopicsApi, createPartitionsApi, describeConfigsApi, alterConfigsApi);
  apis.push(initProducerIdApi, addPartitionsToTxnApi, addOffsetsToTxnApi, endTxnApi, txnOffsetCommitApi);
  apis.push(findCoordinatorApi, joinGroupApi, syncGroupApi, heartbeatApi, leaveGroupApi);
  apis.push(offsetCommitApi, offsetFetchApi, listGroupsApi, describeGroupsApi, deleteGroupsApi);
  apis.push(apiVersionsApi(() => apis));
  return apis;
}
