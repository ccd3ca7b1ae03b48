import type { Partition, PartitionHost } from './partition';

/**
 * The next ISR of a partition (Partition.maybeShrinkIsr / maybeExpandIsr): the leader, followers that are alive
 * and were behind its log end for at most replica.lag.time.max.ms, and out-of-sync followers that caught up.
 * `behindSince` remembers since when each follower lags; it is updated here.
 */
export function computeIsr(
  p: Pick<Partition, 'replicas' | 'leader' | 'isr' | 'logs'>,
  host: PartitionHost,
  leaderEnd: number,
  behindSince: Map<number, number>,
  now: number,
): number[] {
  const next: number[] = [];
  for (const r of p.replicas) {
    if (r === p.leader) {
      next.push(r);
      continue;
    }
    if (!host.isAlive(r)) continue;
    const caughtUp = (p.logs.get(r)?.logEndOffset ?? -1) >= leaderEnd;
    if (caughtUp) behindSince.delete(r);
    else if (!behindSince.has(r)) behindSince.set(r, now);
    const inIsr = p.isr.includes(r);
    const behindTooLong = now - (behindSince.get(r) ?? now) > host.settings.replicaLagTimeMaxMs;
    if ((inIsr && !behindTooLong) || (!inIsr && caughtUp)) next.push(r);
  }
  return next;
}
