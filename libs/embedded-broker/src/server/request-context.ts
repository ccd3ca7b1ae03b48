import { Cluster } from '../cluster/cluster';
import { RequestHeader } from '../protocol/messages/request-header';
import type { Coordinators } from '../cluster/coordinators';

/** What a handler knows about the request it serves: which broker received it, and from whom. */
export interface RequestContext {
  readonly cluster: Cluster;
  readonly coordinators: Coordinators;
  readonly brokerId: number;
  readonly header: RequestHeader;
  readonly apiVersion: number;
}
