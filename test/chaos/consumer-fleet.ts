import { join } from 'node:path';
import { ManagedChild, spawnTs, type ChildExit } from './child-process.util';
import { waitFor } from '../support';

const CONSUMER = join(__dirname, 'chaos-consumer.process.ts');

/** A consumer process and what its stdout events say it is doing. */
export interface ConsumerMember {
  child: ManagedChild;
  ready: boolean;
  /** Between a batch-start and its batch-end / batch-fail: the handler holds uncommitted work. */
  inBatch: boolean;
  /** First message id of the batch in flight (from its batch-start event): the latest one started, if several. */
  batchFirstId?: string;
  /** First message ids of the calls in flight now (several with `key` / `unordered` ordering), oldest first. */
  callsInFlight: string[];
  batchesDone: number;
  batchesFailed: number;
  /** Set when the harness asked it to stop (SIGTERM). */
  stopping: boolean;
  exit?: ChildExit;
  /** Last library log lines (not events) it printed, for failure messages. */
  logTail: string[];
}

/** A SIGKILL the harness delivered, and whether the victim was mid-batch at that moment. */
export interface KillRecord {
  pid: number;
  inBatch: boolean;
  /** First message id of the batch it was handling when killed. */
  batchFirstId?: string;
}

/** The K consumer processes of one group: start, kill mid-batch, replace, stop. */
export class ConsumerFleet {
  readonly members: ConsumerMember[] = [];
  readonly kills: KillRecord[] = [];
  /** Library warnings "waits ... for the dedup store" other than "busy": a store outage made consumers wait. */
  dedupOutageWaits = 0;
  /** Most handler calls of one partition any consumer process ran at once (1 with `partition` ordering). */
  maxConcurrentCalls = 0;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  get live(): ConsumerMember[] {
    return this.members.filter((m) => m.child.running);
  }

  /** Starts one more consumer and waits until its application context is up. */
  async add(): Promise<ConsumerMember> {
    const child = spawnTs(`consumer-${this.members.length}`, CONSUMER, [], this.env);
    const member: ConsumerMember = {
      child,
      ready: false,
      inBatch: false,
      callsInFlight: [],
      batchesDone: 0,
      batchesFailed: 0,
      stopping: false,
      logTail: [],
    };
    void child.exited.then((exit) => (member.exit = exit));
    child.onLine((line) => this.onEvent(member, line));
    this.members.push(member);
    // Joining waits until every member rejoined (kafkajs' rebalance timeout is 60 s); give it more than that.
    await waitFor(() => member.ready || !child.running, {
      timeoutMs: 120_000,
      message: () => `consumer ${child.pid} ready; stderr: ${child.stderr}\nfleet: ${this.describe(true)}`,
    });
    if (!member.ready) throw new Error(`consumer ${child.pid} exited at startup: ${child.stderr}`);
    return member;
  }

  /**
   * Waits until some live consumer is inside a batch (effects written, transaction open) and SIGKILLs it there.
   * Returns undefined when none was caught mid-batch within the timeout (the caller's assertion then fails).
   */
  async killMidBatch(timeoutMs = 30_000): Promise<KillRecord | undefined> {
    let victim: ConsumerMember | undefined;
    try {
      victim = await waitFor(() => this.live.find((m) => m.inBatch), { timeoutMs, intervalMs: 2 });
    } catch {
      return undefined;
    }
    const record: KillRecord = {
      pid: victim.child.pid,
      inBatch: victim.inBatch,
      batchFirstId: victim.batchFirstId,
    };
    victim.child.signalGroup('SIGKILL');
    await victim.child.exited;
    this.kills.push(record);
    return record;
  }

  /** Graceful stop of every live consumer (SIGTERM: the app closes, committing what finished). */
  async stopAll(): Promise<void> {
    const live = this.live;
    live.forEach((m) => (m.stopping = true));
    await Promise.all(live.map((m) => m.child.stop()));
  }

  /** Describes each consumer, for failure messages. */
  describe(withLogs = false): string {
    return this.members
      .map(
        (m) =>
          `${m.child.pid}: running=${m.child.running} done=${m.batchesDone} failed=${m.batchesFailed}` +
          (withLogs ? `\n  ${m.logTail.join('\n  ')}` : ''),
      )
      .join('\n');
  }

  /**
   * Consumers that ended other than as the harness meant: died on their own, or did not shut down cleanly
   * (exit code 0) within the grace period after SIGTERM.
   */
  unexpectedExits(): string[] {
    const killed = new Set(this.kills.map((k) => k.pid));
    return this.members
      .filter((m) => !m.child.running && !killed.has(m.child.pid))
      .filter((m) => !m.stopping || m.exit?.code !== 0)
      .map((m) => `${m.child.pid} (${JSON.stringify(m.exit)}): ${m.child.stderr.slice(-1500)}`);
  }

  private onEvent(member: ConsumerMember, line: string): void {
    let event: { event?: string; first?: string; inFlight?: number };
    try {
      event = JSON.parse(line) as { event?: string; first?: string; inFlight?: number };
    } catch {
      if (line.includes('for the dedup store') && !line.includes('store busy')) this.dedupOutageWaits++;
      member.logTail = [
        ...member.logTail.slice(-11),
        `${new Date().toISOString().slice(11, 23)} ${line.slice(0, 400)}`,
      ];
      return; // a library log line
    }
    if (event.event === 'ready') member.ready = true;
    else if (event.event === 'batch-start') {
      member.callsInFlight.push(event.first ?? '');
      this.maxConcurrentCalls = Math.max(this.maxConcurrentCalls, event.inFlight ?? 1);
    } else if (event.event === 'batch-end') {
      this.ended(member, event.first);
      member.batchesDone++;
    } else if (event.event === 'batch-fail' || event.event === 'poison') {
      this.ended(member, event.first);
      member.batchesFailed++;
    }
    member.inBatch = member.callsInFlight.length > 0;
    member.batchFirstId = member.callsInFlight.at(-1);
  }

  /** A call ended: forget it (by its first id; the oldest call when the event names none). */
  private ended(member: ConsumerMember, first: string | undefined): void {
    const at = first === undefined ? 0 : member.callsInFlight.indexOf(first);
    if (at >= 0) member.callsInFlight.splice(at, 1);
  }
}
