import type { ConsumerGroup } from './consumer-group';
import type { GroupMember } from './group-member';
import { GroupState, MemberProtocol } from './group-types';

/**
 * Kafka's rule for a joining member: an empty group takes any non-empty protocol set; otherwise the protocol type
 * must match and one of the member's protocols must be supported by every current member.
 */
export function supportsProtocols(
  group: ConsumerGroup,
  protocolType: string,
  protocols: readonly MemberProtocol[],
): boolean {
  if (group.is(GroupState.Empty)) return protocolType.length > 0 && protocols.length > 0;
  if (group.protocolType !== protocolType) return false;
  const members = [...group.members.values()];
  return protocols.some((p) => members.every((m) => m.protocols.some((q) => q.name === p.name)));
}

/** Every member votes for its most preferred protocol among those all members support; the most votes wins. */
export function selectProtocol(members: readonly GroupMember[]): string {
  const candidates = members[0].protocols
    .map((p) => p.name)
    .filter((name) => members.every((m) => m.protocols.some((q) => q.name === name)));
  const votes = new Map<string, number>();
  for (const m of members) {
    const choice = m.protocols.find((p) => candidates.includes(p.name))?.name;
    if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  let best = candidates[0];
  for (const [name, n] of votes) if (n > (votes.get(best) ?? 0)) best = name;
  return best;
}
