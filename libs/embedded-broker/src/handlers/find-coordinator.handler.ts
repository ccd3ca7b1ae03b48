import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import {
  FindCoordinatorRequest,
  FindCoordinatorRequestSchema,
  FindCoordinatorResponse,
  FindCoordinatorResponseSchema,
} from '../protocol/messages/find-coordinator.schema';
import { defineApi } from '../server/api-definition';

const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

const failure = (errorCode: ErrorCode): FindCoordinatorResponse => ({
  throttleTimeMs: 0,
  errorCode,
  errorMessage: null,
  nodeId: -1,
  host: '',
  port: -1,
});

/** FindCoordinator: the live broker serving a group or transactional id (both are placed the same way). */
export const findCoordinatorApi = defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: ApiKey.FindCoordinator,
  minVersion: 0,
  maxVersion: 2,
  request: FindCoordinatorRequestSchema,
  response: FindCoordinatorResponseSchema,
  handle: ({ cluster, coordinators }, req) => {
    if (req.keyType !== GROUP_KEY && req.keyType !== TRANSACTION_KEY)
      return failure(ErrorCode.INVALID_REQUEST);
    const broker = cluster.brokers.get(coordinators.coordinatorFor(req.key));
    if (!broker || !broker.alive) return failure(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      nodeId: broker.id,
      host: broker.host,
      port: broker.port,
    };
  },
  errorResponse: (_req, code) => failure(code),
});
