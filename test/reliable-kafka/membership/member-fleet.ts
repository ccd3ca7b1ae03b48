import { join } from 'node:path';
import { Client } from 'pg';
import { spawnTs, type ManagedChild } from '../../chaos/child-process.util';
import { requireEnv, uniqueSqlName, waitFor } from '../../support';

const MEMBER = join(__dirname, 'member.process.ts');

/** One line a member printed. */
export interface MemberEvent {
  event: string;
  pid: number;
  t: number;
  partition?: number;
  offset?: string;
  id?: string;
  joined?: boolean;
  joins?: number;
  assigned?: Record<string, number[]>;
}

/** A member process and everything it said. */
export interface Member {
  readonly child: ManagedChild;
  readonly events: MemberEvent[];
  /** Events named `event`, in order. */
  of(event: string): MemberEvent[];
  /** Partitions assigned to it now (from its last state event). */
  assigned(): number[];
}

/** How a member runs (see member.process.ts). */
export interface MemberSettings {
  topic: string;
  groupId: string;
  brokers: string[];
  callMs: number;
  dedup?: 'none' | 'redis' | 'postgres';
  hang?: boolean;
  sessionMs?: number;
  callTimeoutMs?: number;
  shutdownMs?: number;
  concurrency?: number;
}

/** The effects ledger the members write to, in the test Postgres. */
export class EffectLedger {
  readonly table = uniqueSqlName('member_effects');
  private readonly client = new Client({ connectionString: requireEnv('DATABASE_URL') });

  async open(): Promise<void> {
    await this.client.connect();
    await this.client.query(
      `CREATE TABLE ${this.table} (message_id text NOT NULL, kafka_partition int, kafka_offset bigint, pid int,
       written_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
  }

  /** Effect rows per message id. */
  async counts(): Promise<Map<string, number>> {
    const { rows } = await this.client.query<{ message_id: string; n: string }>(
      `SELECT message_id, count(*) AS n FROM ${this.table} GROUP BY message_id`,
    );
    return new Map(rows.map((r) => [r.message_id, Number(r.n)]));
  }

  async close(): Promise<void> {
    await this.client.query(`DROP TABLE IF EXISTS ${this.table}`).catch(() => undefined);
    await this.client.end();
  }
}

/** Starts a member and waits until it has joined its group. */
export async function startMember(settings: MemberSettings, ledger: EffectLedger): Promise<Member> {
  const child = spawnTs(`member-${settings.groupId}`, MEMBER, [], {
    KAFKA_BROKERS: settings.brokers.join(','),
    MEMBER_TOPIC: settings.topic,
    MEMBER_GROUP: settings.groupId,
    MEMBER_LEDGER: ledger.table,
    MEMBER_CALL_MS: String(settings.callMs),
    MEMBER_DEDUP: settings.dedup ?? 'none',
    MEMBER_HANG: settings.hang ? '1' : '0',
    MEMBER_SESSION_MS: String(settings.sessionMs ?? 6_000),
    MEMBER_SHUTDOWN_MS: String(settings.shutdownMs ?? 20_000),
    MEMBER_CONCURRENCY: String(settings.concurrency ?? 1),
    ...(settings.callTimeoutMs !== undefined && { MEMBER_CALL_TIMEOUT_MS: String(settings.callTimeoutMs) }),
  });
  const events: MemberEvent[] = [];
  child.onLine((line) => {
    if (line.startsWith('{')) events.push(JSON.parse(line) as MemberEvent);
  });
  const member: Member = {
    child,
    events,
    of: (event) => events.filter((e) => e.event === event),
    assigned: () => {
      const states = events.filter((e) => e.event === 'state');
      const last = states[states.length - 1];
      return Object.values(last?.assigned ?? {}).flat();
    },
  };
  await waitFor(() => member.of('ready').length > 0 || member.of('fatal').length > 0 || !child.running, {
    timeoutMs: 60_000,
    message: () => `member ready (stderr: ${child.stderr.slice(-500)})`,
  });
  if (member.of('fatal').length > 0 || !child.running) throw new Error(`member failed: ${child.stderr}`);
  return member;
}
