import { ConsumerGroup } from './consumer-group';
import { GroupDescription, GroupState } from './group-types';

/** DescribeGroups' view of a group: protocol, member metadata and assignments only while Stable (as Kafka). */
export function describeGroup(group: ConsumerGroup): GroupDescription {
  const stable = group.is(GroupState.Stable);
  const protocol = stable ? (group.protocolName ?? '') : '';
  return {
    groupId: group.groupId,
    state: group.state,
    protocolType: group.protocolType ?? '',
    protocolName: protocol,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      metadata: stable ? m.metadataFor(protocol) : Buffer.alloc(0),
      assignment: stable ? m.assignment : Buffer.alloc(0),
    })),
  };
}
