import { Kafka, logLevel } from 'kafkajs';
import { KafkaTarget, startKafkaTarget, uniqueName } from '../support';
import { RawConnection } from './support/raw-connection';
import { subscription } from './support/group-raw-client';

/* What kafkajs' decoders return for the group APIs (its request modules are untyped). */
interface Coordinator {
  errorCode: number;
  coordinator: { nodeId: number; host: string; port: number };
}
interface Joined {
  errorCode: number;
  generationId: number;
  groupProtocol: string;
  leaderId: string;
  memberId: string;
  members: Array<{ memberId: string; memberMetadata: Buffer }>;
}
interface CommitResult {
  responses: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number }> }>;
}
interface FetchResult {
  responses: Array<{
    topic: string;
    partitions: Array<{ partition: number; offset: string; metadata: string | null; errorCode: number }>;
  }>;
  errorCode?: number;
}
interface Described {
  groups: Array<{
    errorCode: number;
    groupId: string;
    state: string;
    protocolType: string;
    protocol: string;
    members: Array<{ memberId: string; clientId: string; memberAssignment: Buffer }>;
  }>;
}

const MEMBER_ID_REQUIRED = 79;

/**
 * Every advertised version of every group API, encoded and decoded by kafkajs' own codec for that version (not the
 * broker's), so a field in the wrong version of one of our schemas shows up as a wrong value here.
 */
describe('consumer groups: every advertised version, through kafkajs codecs', () => {
  let target: KafkaTarget;
  let conn: RawConnection;
  let topic: string;
  const opened: RawConnection[] = [];

  /** A connection to the coordinator of `groupId` (the only broker that serves its group requests). */
  async function coordinatorConn(groupId: string): Promise<RawConnection> {
    const found = await conn.request<Coordinator>('GroupCoordinator', 2, { groupId, coordinatorType: 0 });
    const c = await RawConnection.open(`${found.coordinator.host}:${found.coordinator.port}`);
    opened.push(c);
    return c;
  }

  beforeAll(async () => {
    target = await startKafkaTarget();
    conn = await RawConnection.open(target.brokers[0]);
    opened.push(conn);
    topic = uniqueName('groups-versions');
    const admin = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    for (const c of opened) c.close();
    await target?.stop();
  });

  it.each([0, 1, 2])('FindCoordinator v%i names a live broker', async (version) => {
    const found = await conn.request<Coordinator>('GroupCoordinator', version, {
      groupId: uniqueName('g'),
      coordinatorType: 0,
    });
    expect(found.errorCode).toBe(0);
    expect(target.brokers).toContain(`${found.coordinator.host}:${found.coordinator.port}`);
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'JoinGroup v%i, then SyncGroup, Heartbeat and LeaveGroup at their matching versions',
    async (v) => {
      const groupId = uniqueName(`g-v${v}`);
      const c = await coordinatorConn(groupId);
      const metadata = subscription([topic]);
      const join = (memberId: string) =>
        c.request<Joined>('JoinGroup', v, {
          groupId,
          sessionTimeout: 10_000,
          rebalanceTimeout: 10_000,
          memberId,
          protocolType: 'consumer',
          groupProtocols: [{ name: 'RoundRobinAssigner', metadata }],
        });
      let joined = await join('');
      if (v >= 4) {
        expect(joined.errorCode).toBe(MEMBER_ID_REQUIRED);
        joined = await join(joined.memberId);
      }
      expect(joined).toMatchObject({
        errorCode: 0,
        generationId: 1,
        groupProtocol: 'RoundRobinAssigner',
        leaderId: joined.memberId,
      });
      expect(joined.members).toHaveLength(1);
      expect(joined.members[0].memberId).toBe(joined.memberId);
      expect(Buffer.from(joined.members[0].memberMetadata).equals(metadata)).toBe(true);

      const sv = Math.min(v, 3);
      const memberAssignment = Buffer.from([0, 1, 2, 3]);
      const { memberId, generationId } = joined;
      const synced = await c.request<{ errorCode: number; memberAssignment: Buffer }>('SyncGroup', sv, {
        groupId,
        generationId,
        memberId,
        groupAssignment: [{ memberId, memberAssignment }],
      });
      expect(synced.errorCode).toBe(0);
      expect(Buffer.from(synced.memberAssignment).equals(memberAssignment)).toBe(true);
      expect(
        (
          await c.request<{ errorCode: number }>('Heartbeat', sv, {
            groupId,
            groupGenerationId: generationId,
            memberId,
          })
        ).errorCode,
      ).toBe(0);
      const left = await c.request<{ errorCode: number }>('LeaveGroup', sv, {
        groupId,
        memberId,
        members: [{ memberId }],
      });
      expect(left.errorCode).toBe(0);
      expect(
        (
          await c.request<{ errorCode: number }>('Heartbeat', sv, {
            groupId,
            groupGenerationId: generationId,
            memberId,
          })
        ).errorCode,
      ).toBe(25);
    },
  );

  it.each([0, 1, 2, 3, 4, 5])(
    'OffsetCommit v%i stores offset and metadata, read back by OffsetFetch v1-4',
    async (v) => {
      const groupId = uniqueName(`g-commit-v${v}`);
      const c = await coordinatorConn(groupId);
      const committed = await c.request<CommitResult>('OffsetCommit', v, {
        groupId,
        groupGenerationId: -1,
        memberId: '',
        topics: [{ topic, partitions: [{ partition: 0, offset: String(10 + v), metadata: `meta-v${v}` }] }],
      });
      expect(committed.responses).toEqual([{ topic, partitions: [{ partition: 0, errorCode: 0 }] }]);
      for (const fv of [1, 2, 3, 4]) {
        const fetched = await c.request<FetchResult>('OffsetFetch', fv, {
          groupId,
          topics: [{ topic, partitions: [{ partition: 0 }] }],
        });
        expect(fetched.responses).toEqual([
          {
            topic,
            partitions: [{ partition: 0, offset: String(10 + v), metadata: `meta-v${v}`, errorCode: 0 }],
          },
        ]);
        if (fv >= 2) expect(fetched.errorCode).toBe(0);
      }
    },
  );

  it('ListGroups v0-2, DescribeGroups v0-2 and DeleteGroups v0-1', async () => {
    const groupIds = [uniqueName('g-admin-a'), uniqueName('g-admin-b')];
    for (const groupId of groupIds) {
      const c = await coordinatorConn(groupId);
      await c.request('OffsetCommit', 2, {
        groupId,
        groupGenerationId: -1,
        memberId: '',
        topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
      });
    }
    for (const version of [0, 1, 2]) {
      // Each broker lists the groups it coordinates: ask them all.
      const listed: Array<{ groupId: string; protocolType: string }> = [];
      for (const broker of target.brokers) {
        const c = await RawConnection.open(broker);
        opened.push(c);
        const page = await c.request<{ errorCode: number; groups: typeof listed }>('ListGroups', version, {});
        expect(page.errorCode).toBe(0);
        listed.push(...page.groups);
      }
      for (const groupId of groupIds) expect(listed).toContainEqual({ groupId, protocolType: '' });
      const c = await coordinatorConn(groupIds[0]);
      const described = await c.request<Described>('DescribeGroups', version, { groupIds: [groupIds[0]] });
      expect(described.groups).toEqual([
        expect.objectContaining({
          errorCode: 0,
          groupId: groupIds[0],
          state: 'Empty',
          protocolType: '',
          protocol: '',
          members: [],
        }),
      ]);
    }
    for (const [version, groupId] of [
      [0, groupIds[0]],
      [1, groupIds[1]],
    ] as const) {
      const c = await coordinatorConn(groupId);
      const deleted = await c.request<{ results: Array<{ groupId: string; errorCode: number }> }>(
        'DeleteGroups',
        version,
        [groupId],
      );
      expect(deleted.results).toEqual([{ groupId, errorCode: 0 }]);
    }
  });
});
