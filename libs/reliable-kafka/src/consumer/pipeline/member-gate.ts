/**
 * Answers that mean this member may not go on as it is: a rebalance began, its generation is gone, the coordinator
 * does not know it, or another instance fenced it. kafkajs rejoins when one of them reaches it from `eachBatch`.
 */
const MEMBERSHIP_ERRORS = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
  'NOT_COORDINATOR_FOR_GROUP',
]);

/** True for a kafkajs error that says the membership must be renewed (see MEMBERSHIP_ERRORS). */
export function isMembershipError(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && MEMBERSHIP_ERRORS.has(type);
}

/**
 * The group membership of one kafkajs consumer, as every batch of it sees it (kafkajs hands a member several
 * batches of one fetch, one after another or at once; a stop noticed in one of them must stop them all):
 *
 * - closed by the first heartbeat (the batches' background heartbeat) or commit that answers with a membership
 *   error: from then on no batch of this member starts a new handler call, and every batch hands the error to
 *   kafkajs (`eachBatch` throws it), which rejoins at once instead of going on with the fetched batches;
 * - opened again when kafkajs has rejoined (GROUP_JOIN): the batches that follow belong to the new assignment;
 * - a member that has not had its membership confirmed for `confirmAfterMs` (a long GC pause, a frozen process:
 *   the coordinator may have evicted it meanwhile) must confirm it with a heartbeat before starting a call, so a
 *   zombie never starts work on a partition that moved.
 */
export class MemberGate {
  private lostWith: { error: unknown } | null = null;
  private confirmedAt: number;

  constructor(
    /** Longest time without a confirmation before a call needs one (a fraction of the session timeout). */
    private readonly confirmAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.confirmedAt = now();
  }

  /** True while no new call may start. */
  get closed(): boolean {
    return this.lostWith !== null;
  }

  /** What closed it (handed to kafkajs so it rejoins). */
  get error(): unknown {
    return this.lostWith?.error;
  }

  /** A heartbeat, commit or fetch failed: closes the gate when the error is about the membership. */
  failed(error: unknown): boolean {
    if (!isMembershipError(error)) return false;
    this.lostWith ??= { error };
    return true;
  }

  /** The coordinator accepted a heartbeat or a commit of this member. */
  confirmed(): void {
    this.confirmedAt = this.now();
  }

  /** kafkajs rejoined the group: the new assignment's batches may run. */
  rejoined(): void {
    this.lostWith = null;
    this.confirmed();
  }

  /** Whether the membership must be confirmed (a heartbeat) before the next call starts. */
  needsConfirmation(): boolean {
    return this.now() - this.confirmedAt > this.confirmAfterMs;
  }
}
