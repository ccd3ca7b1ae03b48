import { randomBytes } from 'node:crypto';
import { Partition } from './partition';
import { TopicConfig } from './configs';

/** A topic: its id (for Metadata v10+ clients), config and partitions. */
export class Topic {
  readonly topicId = randomBytes(16);
  readonly partitions: Partition[] = [];

  constructor(
    readonly name: string,
    readonly config: TopicConfig,
  ) {}

  get replicationFactor(): number {
    return this.partitions[0]?.replicas.length ?? 0;
  }
}

/** Kafka's topic name rule: 1-249 chars of [a-zA-Z0-9._-], not '.' or '..'. */
export function isValidTopicName(name: string): boolean {
  return (
    name.length > 0 && name.length <= 249 && /^[a-zA-Z0-9._-]+$/.test(name) && name !== '.' && name !== '..'
  );
}
