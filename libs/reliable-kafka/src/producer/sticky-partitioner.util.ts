import { Partitioners, type ICustomPartitioner, type Message } from 'kafkajs';

/**
 * Wraps kafkajs' default partitioner so a message keeps the partition chosen on its first attempt.
 * Why: offsets are mapped back to callers per partition, and a keyless message must not move to another
 * partition when kafkajs (or our retry loop) resends it. The choice is remembered per message object.
 */
export class StickyPartitioner {
  private readonly chosen = new WeakMap<Message, number>();

  /** Pass as kafkajs `createPartitioner`. */
  readonly create: ICustomPartitioner = () => {
    const inner = Partitioners.DefaultPartitioner();
    return (args) => {
      const previous = this.chosen.get(args.message);
      if (previous !== undefined && previous < args.partitionMetadata.length) return previous;
      const partition = inner(args);
      this.chosen.set(args.message, partition);
      return partition;
    };
  };

  /** The partition a message was assigned, once kafkajs has partitioned it. */
  partitionOf(message: Message): number | undefined {
    return message.partition ?? this.chosen.get(message);
  }
}
