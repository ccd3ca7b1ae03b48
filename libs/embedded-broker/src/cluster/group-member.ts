import { JoinResult, MemberProtocol, SyncResult } from './group-types';

/**
 * One member of a consumer group as the coordinator tracks it: its protocols, its current assignment, the join or
 * sync request it has parked at the coordinator (answered when the rebalance gets there), and its session timer.
 */
export class GroupMember {
  assignment: Buffer = Buffer.alloc(0);
  /** A member that joined but has not yet received its first join response. */
  isNew = true;
  private joinWaiter: ((result: JoinResult) => void) | null = null;
  private syncWaiter: ((result: SyncResult) => void) | null = null;
  private sessionTimer: NodeJS.Timeout | null = null;

  constructor(
    /** Changes when a static member (group.instance.id) rejoins without its old id and replaces itself. */
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public sessionTimeoutMs: number,
    public rebalanceTimeoutMs: number,
    public protocolType: string,
    public protocols: readonly MemberProtocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0);
  }

  /** Same protocols with the same metadata, in the same order: a rejoin that changes nothing. */
  matches(protocols: readonly MemberProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata),
      )
    );
  }

  /** Parks a join request; a request it replaces (the client gave up on it and sent a new one) is told to rejoin. */
  awaitJoin(waiter: (result: JoinResult) => void, replaced: JoinResult): void {
    this.resolveJoin(replaced);
    this.joinWaiter = waiter;
  }

  resolveJoin(result: JoinResult): void {
    const waiter = this.joinWaiter;
    this.joinWaiter = null;
    waiter?.(result);
  }

  awaitSync(waiter: (result: SyncResult) => void, replaced: SyncResult): void {
    this.resolveSync(replaced);
    this.syncWaiter = waiter;
  }

  resolveSync(result: SyncResult): void {
    const waiter = this.syncWaiter;
    this.syncWaiter = null;
    waiter?.(result);
  }

  /** (Re)starts the session timer: `onExpire` runs unless the member is heard from within `ms`. */
  scheduleExpiry(ms: number, onExpire: () => void): void {
    this.cancelExpiry();
    this.sessionTimer = setTimeout(onExpire, ms);
    this.sessionTimer.unref();
  }

  cancelExpiry(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = null;
  }
}
