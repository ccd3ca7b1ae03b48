import { Partitioners, type ICustomPartitioner, type Message } from 'kafkajs';

/**
 * Wraps kafkajs' default partitioner (murmur2 of the key, like the Java client) with two kinds of stickiness:
 *
 * - per message: a message keeps the partition chosen on its first attempt. Offsets are mapped back to callers
 *   per partition, and a message must not move to another partition when kafkajs (or our retry loop) resends it.
 *   The choice is written into the message itself (`partition`, which kafkajs then honours on every attempt):
 *   the messages are the runtime's own objects (see prepareMessage), and a WeakMap lookup per message was a
 *   visible share of a send.
 * - per batch, for messages with neither key nor partition: every such message of one coalesced request goes to
 *   the same partition, and the next request of that topic moves on to the next one (Kafka's own default since
 *   2.4, KIP-480). A request then carries one record batch instead of one small batch per partition, which costs
 *   the client and the broker less per message; over many requests keyless messages still spread evenly.
 */
export class StickyPartitioner {
  /** Partition of the keyless messages of each topic's current request. */
  private readonly keyless = new Map<string, number>();

  /** Pass as kafkajs `createPartitioner`. */
  readonly create: ICustomPartitioner = () => {
    const inner = Partitioners.DefaultPartitioner();
    return (args) => {
      const { message, topic, partitionMetadata } = args;
      // Placed by the caller, or by this partitioner on an earlier attempt.
      if (message.partition !== null && message.partition !== undefined) return message.partition;
      let partition: number;
      if (message.key !== null && message.key !== undefined) partition = inner(args);
      else {
        const current = this.keyless.get(topic);
        partition = current !== undefined && current < partitionMetadata.length ? current : inner(args);
        this.keyless.set(topic, partition);
      }
      message.partition = partition;
      return partition;
    };
  };

  /**
   * A new request for `topics` begins: their keyless messages move on to another partition. Call once per
   * request, before its first attempt (a retry resends the same messages, which keep their partitions).
   */
  beginRequest(topics: Iterable<string>): void {
    for (const topic of topics) this.keyless.delete(topic);
  }

  /** The partition a message was assigned, once kafkajs has partitioned it. */
  partitionOf(message: Message): number | undefined {
    return message.partition ?? undefined;
  }
}
