import { ErrorCode } from '@nrk/embedded-broker';
import { JoinGroupResponse } from '../../../libs/embedded-broker/src/protocol/messages/join-group.schema';
import { uniqueName } from '../../support';
import { GroupRawClient, subscription } from './group-raw-client';

/** Session and rebalance timeouts of a raw member's JoinGroup. */
export interface RawJoinTimeouts {
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
}

/**
 * Raw group members for protocol tests: connections to a group's coordinator (found with FindCoordinator), the
 * consumer protocol for `topic`, and the two-step JoinGroup of v4+ clients. Closes every connection it opened.
 */
export class RawGroupHarness {
  private readonly clients: GroupRawClient[] = [];
  private bootstrap: GroupRawClient | null = null;

  constructor(
    private readonly brokers: readonly string[],
    private readonly topic: string,
  ) {}

  /** The RoundRobinAssigner protocol with a subscription to the harness topic, as kafkajs members send it. */
  protocols(): Array<{ name: string; metadata: Buffer }> {
    return [{ name: 'RoundRobinAssigner', metadata: subscription([this.topic]) }];
  }

  /** A new connection to the coordinator of `groupId`. */
  async connect(groupId: string): Promise<GroupRawClient> {
    if (!this.bootstrap) {
      this.bootstrap = await GroupRawClient.open(this.brokers[0]);
      this.clients.push(this.bootstrap);
    }
    const found = await this.bootstrap.findCoordinator(groupId);
    if (found.errorCode !== ErrorCode.NONE)
      throw new Error(`FindCoordinator(${groupId}) failed with ${found.errorCode}`);
    const c = await GroupRawClient.open(`${found.host}:${found.port}`, uniqueName('raw'));
    this.clients.push(c);
    return c;
  }

  /**
   * JoinGroup v5 as a v4+ client must do it: get a member id (MEMBER_ID_REQUIRED), then join with it. Returns
   * the id at once and the second join as a promise, since it parks until the rebalance completes.
   */
  async joinNewMember(
    c: GroupRawClient,
    groupId: string,
    timeouts: RawJoinTimeouts = {},
  ): Promise<{ memberId: string; join: Promise<JoinGroupResponse> }> {
    const first = await c.joinGroup(5, { groupId, protocols: this.protocols(), ...timeouts });
    if (first.errorCode !== ErrorCode.MEMBER_ID_REQUIRED) {
      throw new Error(`expected MEMBER_ID_REQUIRED on the first JoinGroup, got ${first.errorCode}`);
    }
    const join = this.rejoin(c, groupId, first.memberId, timeouts);
    return { memberId: first.memberId, join };
  }

  /** JoinGroup v5 of a known member. */
  rejoin(
    c: GroupRawClient,
    groupId: string,
    memberId: string,
    timeouts: RawJoinTimeouts = {},
  ): Promise<JoinGroupResponse> {
    return c.joinGroup(5, { groupId, memberId, protocols: this.protocols(), ...timeouts });
  }

  /** Joins a lone member and syncs it: a Stable group of one, returning its member id and generation. */
  async stableMember(
    c: GroupRawClient,
    groupId: string,
    timeouts: RawJoinTimeouts = {},
  ): Promise<{ memberId: string; generationId: number }> {
    const { memberId, join } = await this.joinNewMember(c, groupId, timeouts);
    const { generationId, errorCode } = await join;
    if (errorCode !== ErrorCode.NONE) throw new Error(`JoinGroup failed with ${errorCode}`);
    const synced = await c.syncGroup(3, { groupId, generationId, memberId, assignments: [] });
    if (synced.errorCode !== ErrorCode.NONE) throw new Error(`SyncGroup failed with ${synced.errorCode}`);
    return { memberId, generationId };
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
