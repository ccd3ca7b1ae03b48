import type { ClaimStatus } from './dedup-store.interface';

/**
 * A batch may carry the same id twice (a producer retry landing in the same fetch).
 * Stores claim each distinct id once; this maps the answers back to every position:
 * the first occurrence gets the store's status, later ones are reported `done` (the first one does the work)
 * unless the first is `busy`, in which case they are `busy` too.
 */
export function distinctIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Expands statuses of `distinctIds(ids)` back to one status per entry of `ids`. */
export function expandStatuses(
  ids: readonly string[],
  distinct: readonly string[],
  statuses: readonly ClaimStatus[],
): ClaimStatus[] {
  const byId = new Map<string, ClaimStatus>();
  distinct.forEach((id, i) => byId.set(id, statuses[i]));
  const seen = new Set<string>();
  return ids.map((id) => {
    const status = byId.get(id) ?? 'busy';
    if (seen.has(id)) return status === 'busy' ? 'busy' : 'done';
    seen.add(id);
    return status;
  });
}
