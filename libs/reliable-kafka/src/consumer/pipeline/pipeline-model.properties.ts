import type { OrderingMode } from '../../interfaces/batch-handler-options.interface';
import type { Scenario } from './pipeline-model.scenario';
import { expectedId, type Outcome } from './pipeline-model.simulator';

/**
 * The pipeline's properties, checked on a simulation's outcome against the reference model (what each record's
 * id is, which records must end in the dead-letter topic). Returns the violations, empty when all hold.
 */
export function violations(scenario: Scenario, outcome: Outcome): string[] {
  const found: string[] = [...outcome.unsafeCommits]; // nothing committed before it was handled or dead-lettered
  const { effects, deadLettered, deadLetteredIds, committed } = outcome;
  const effectIds = new Set(effects.map((e) => e.id));

  scenario.partitions.forEach((records, p) => {
    // Every partition ends committed to its end: no record leaves a partition stuck once the faults stop.
    if (committed[p] !== records.length)
      found.push(
        `partition ${p} stuck at ${committed[p]} of ${records.length} after ${outcome.sessions} sessions`,
      );
    records.forEach((record, offset) => {
      const id = expectedId(record, p, offset);
      const at = `${p}@${offset}`;
      const dead = deadLettered.has(`${p}/${offset}`);
      // An unreadable id is a failed record: dead-lettered, never handled, never merged with another id.
      if (id === null && !dead) found.push(`${at}: id cannot be read, yet not dead-lettered`);
      // No distinct id is skipped: handled, or dead-lettered (itself or a record with the same id).
      if (id !== null && !dead && !effectIds.has(id) && !deadLetteredIds.has(id))
        found.push(`${at}: id ${short(id)} neither handled nor dead-lettered`);
      // A poison record is never handled; it ends in the dead-letter topic unless its id was dead-lettered or
      // handled through another record first (then it is a duplicate and skipped).
      if (record.poison && effects.some((e) => e.partition === p && e.offset === offset))
        found.push(`${at}: poison record handled`);
    });
  });

  // An id is handled twice only where the guarantees allow it: its call succeeded and its session ended before
  // the mark landed (crash or revocation).
  const counts = new Map<string, number>();
  for (const e of effects) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
  for (const [id, count] of counts) {
    const allowed = 1 + (outcome.allowedExtra.get(id) ?? 0);
    if (count > allowed) found.push(`id ${short(id)} handled ${count} times (allowed ${allowed})`);
  }

  // Per-key order: within a session, one key's effects on a partition come in offset order.
  if (orderedByKey(scenario.ordering)) {
    const last = new Map<string, number>();
    for (const e of effects) {
      const lane = `${e.session}|${e.partition}|${e.key}`;
      const previous = last.get(lane);
      if (previous !== undefined && e.offset <= previous)
        found.push(
          `key ${e.key} on partition ${e.partition}: ${e.offset} after ${previous} (session ${e.session})`,
        );
      last.set(lane, e.offset);
    }
  }
  return found;
}

function orderedByKey(ordering: OrderingMode): boolean {
  return ordering !== 'unordered';
}

function short(hex: string): string {
  return hex.length > 24 ? `${hex.slice(0, 24)}…(${hex.length / 2} bytes)` : hex;
}
