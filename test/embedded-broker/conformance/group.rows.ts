import { uniqueName } from '../../support';
import type { GroupRawClient } from '../support/group-raw-client';
import type { ConformanceContext, ConformanceRow, RowHead } from './conformance-row';
import { KafkaError } from './kafka-errors';

const VALIDATE_COMMIT =
  'core/.../coordinator/group/GroupCoordinator.scala validateOffsetCommit; group-coordinator/.../classic/ClassicGroup.java validateOffsetCommit';
const VALIDATE_MEMBER =
  'core/.../coordinator/group/GroupCoordinator.scala validateCurrentMember, validateHeartbeat, validateSyncGroup';
const SESSION_BOUNDS =
  'core/.../coordinator/group/GroupCoordinator.scala handleJoinGroup; GroupCoordinatorConfig.java (defaults 6000 / 1800000)';

/** A group of two members between join and sync: generation 2 was handed out, nobody has synced yet. */
interface Completing {
  readonly groupId: string;
  readonly topic: string;
  readonly x: GroupRawClient;
  readonly y: GroupRawClient;
  readonly memberX: string;
  readonly memberY: string;
  readonly gen1: number;
  readonly gen2: number;
}

async function completingRebalance(ctx: ConformanceContext): Promise<Completing> {
  const topic = await ctx.createTopic();
  const raw = ctx.groups(topic);
  const groupId = uniqueName('conformance-group');
  const x = await raw.connect(groupId);
  const y = await raw.connect(groupId);
  const first = await raw.stableMember(x, groupId);
  const yJoin = await raw.joinNewMember(y, groupId);
  const [xGen2] = await Promise.all([raw.rejoin(x, groupId, first.memberId), yJoin.join]);
  return {
    groupId,
    topic,
    x,
    y,
    memberX: first.memberId,
    memberY: yJoin.memberId,
    gen1: first.generationId,
    gen2: xGen2.generationId,
  };
}

/** The error of a one-partition OffsetCommit v5. */
async function commitError(
  c: GroupRawClient,
  g: Pick<Completing, 'groupId' | 'topic'>,
  generationId: number,
  memberId: string,
): Promise<number> {
  const r = await c.offsetCommit(5, {
    groupId: g.groupId,
    generationId,
    memberId,
    topics: [
      {
        name: g.topic,
        partitions: [{ partitionIndex: 0, committedOffset: 1, commitTimestamp: -1, committedMetadata: '' }],
      },
    ],
  });
  return r.topics[0].partitions[0].errorCode;
}

/**
 * A row whose request is made by `errorOf` in a group between join and sync; the error expected is the first word
 * of the row's `expected` (a name of Kafka's Errors).
 */
function completingRow(head: RowHead, errorOf: (g: Completing) => Promise<number>): ConformanceRow {
  const code = head.expected.split(' ')[0] as keyof typeof KafkaError;
  return {
    ...head,
    run: async (ctx) => {
      expect(await errorOf(await completingRebalance(ctx))).toBe(KafkaError[code]);
    },
  };
}

/** JoinGroup v5 of a new member with `sessionTimeoutMs`. */
async function joinWithSession(ctx: ConformanceContext, sessionTimeoutMs: number): Promise<number> {
  const topic = await ctx.createTopic();
  const raw = ctx.groups(topic);
  const groupId = uniqueName('conformance-group');
  const c = await raw.connect(groupId);
  return (await c.joinGroup(5, { groupId, protocols: raw.protocols(), sessionTimeoutMs })).errorCode;
}

export const GROUP_ROWS: ConformanceRow[] = [
  {
    id: 'G01',
    title:
      'JoinGroup with a session timeout below group.min.session.timeout.ms (e.g. 1500 ms against the default 6000)',
    expected: 'INVALID_SESSION_TIMEOUT',
    source: SESSION_BOUNDS,
    run: async (ctx) => {
      const min = Number((await ctx.brokerConfig('group.min.session.timeout.ms')) ?? 6000);
      expect(await joinWithSession(ctx, min - 1)).toBe(KafkaError.INVALID_SESSION_TIMEOUT);
    },
  },
  {
    id: 'G02',
    title: 'JoinGroup with a session timeout above group.max.session.timeout.ms',
    expected: 'INVALID_SESSION_TIMEOUT',
    source: SESSION_BOUNDS,
    run: async (ctx) => {
      const max = Number((await ctx.brokerConfig('group.max.session.timeout.ms')) ?? 1_800_000);
      expect(await joinWithSession(ctx, max + 1)).toBe(KafkaError.INVALID_SESSION_TIMEOUT);
    },
  },
  completingRow(
    {
      id: 'G03',
      title: 'OffsetCommit with an old generation while the group is CompletingRebalance',
      expected: 'ILLEGAL_GENERATION',
      source: VALIDATE_COMMIT,
    },
    (g) => commitError(g.x, g, g.gen1, g.memberX),
  ),
  completingRow(
    {
      id: 'G04',
      title: 'OffsetCommit from an unknown member while the group is CompletingRebalance',
      expected: 'UNKNOWN_MEMBER_ID',
      source: VALIDATE_COMMIT,
    },
    (g) => commitError(g.x, g, g.gen2, 'stranger'),
  ),
  completingRow(
    {
      id: 'G05',
      title: 'OffsetCommit from a current member of the new generation before SyncGroup',
      expected: 'REBALANCE_IN_PROGRESS',
      source: VALIDATE_COMMIT,
    },
    (g) => commitError(g.x, g, g.gen2, g.memberX),
  ),
  completingRow(
    {
      id: 'G06',
      title: 'OffsetCommit without member id and generation to a group with members',
      expected: 'UNKNOWN_MEMBER_ID',
      source: VALIDATE_COMMIT,
    },
    (g) => commitError(g.x, g, -1, ''),
  ),
  completingRow(
    {
      id: 'G07',
      title: 'Heartbeat from an unknown member with a wrong generation',
      expected: 'UNKNOWN_MEMBER_ID (the member is checked before the generation)',
      source: VALIDATE_MEMBER,
    },
    async (g) => (await g.x.heartbeat(3, g.groupId, g.gen1, 'stranger')).errorCode,
  ),
  completingRow(
    {
      id: 'G08',
      title: 'Heartbeat from a current member while the group is CompletingRebalance',
      expected: 'NONE',
      source: 'core/.../coordinator/group/GroupCoordinator.scala handleHeartbeat',
    },
    async (g) => (await g.y.heartbeat(3, g.groupId, g.gen2, g.memberY)).errorCode,
  ),
  completingRow(
    {
      id: 'G09',
      title: 'SyncGroup from a known member with an old generation',
      expected: 'ILLEGAL_GENERATION',
      source: VALIDATE_MEMBER,
    },
    async (g) => {
      const sync = { groupId: g.groupId, generationId: g.gen1, memberId: g.memberY, assignments: [] };
      return (await g.y.syncGroup(3, sync)).errorCode;
    },
  ),
];
