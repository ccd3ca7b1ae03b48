import { Cluster } from '../cluster/cluster';
import { Coordinators } from '../cluster/coordinators';
import { RequestFaults } from '../faults/request-faults';
import { ApiRegistry } from './api-registry';

/** Everything a connection needs to serve requests on behalf of one broker. */
export interface BrokerRuntime {
  readonly brokerId: number;
  readonly cluster: Cluster;
  readonly coordinators: Coordinators;
  readonly registry: ApiRegistry;
  readonly faults: RequestFaults;
  log(message: string): void;
}
