import { Kafka, logLevel, type Admin, type Message, type Producer } from 'kafkajs';
import { performance } from 'node:perf_hooks';

/** The runner's own kafkajs clients: create topics, fill backlogs, and produce the paced live phase. */
/** Replication of a created topic: RF 1 and the broker's defaults unless given. */
export interface TopicOptions {
  replicationFactor?: number;
  /** Topic configs, e.g. `{ 'min.insync.replicas': '2' }`. */
  configs?: Record<string, string>;
}

export interface Seeder {
  createTopic(topic: string, partitions: number, options?: TopicOptions): Promise<void>;
  /**
   * Deletes topics a scenario is done with: the broker keeps every record in memory, and a heap grown by earlier
   * scenarios makes its garbage collection, and so every later contender, slower.
   */
  deleteTopics(topics: string[]): Promise<void>;
  /** Produces `count` messages built by `make(i)`, in batches of 1000 with 4 in flight. */
  fill(
    topic: string,
    count: number,
    make: (i: number) => Message,
    onProgress?: (n: number) => void,
  ): Promise<void>;
  /** Produces `count` messages at `rate` per second, each with its send time as record timestamp. */
  paced(topic: string, count: number, rate: number, make: (i: number) => Message): Promise<void>;
  close(): Promise<void>;
}

export async function createSeeder(brokers: string[]): Promise<Seeder> {
  const kafka = new Kafka({ clientId: 'bench-seeder', brokers, logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  let producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  return {
    createTopic: async (topic, partitions, options = {}) => {
      const configEntries = Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value }));
      await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: partitions,
            replicationFactor: options.replicationFactor ?? 1,
            configEntries,
          },
        ],
        waitForLeaders: true,
      });
    },
    deleteTopics: async (topics) => {
      if (topics.length === 0) return;
      await admin.deleteTopics({ topics });
      // A kafkajs producer refreshes metadata for every topic it ever sent to, and fails on a deleted one.
      await producer.disconnect();
      producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
    },
    fill: async (topic, count, make, onProgress) => {
      let next = 0;
      let sent = 0;
      const worker = async (): Promise<void> => {
        while (next < count) {
          const from = next;
          const n = Math.min(1000, count - from);
          next += n;
          await producer.send({
            topic,
            acks: -1,
            messages: Array.from({ length: n }, (_, k) => make(from + k)),
          });
          sent += n;
          onProgress?.(sent);
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
    },
    paced: async (topic, count, rate, make) => {
      const started = performance.now();
      let sent = 0;
      while (sent < count) {
        // Catch up to where the schedule says we should be, at most 1 ms apart.
        const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
        if (due > sent) {
          const now = String(Date.now());
          const messages = Array.from({ length: due - sent }, (_, k) => ({
            ...make(sent + k),
            timestamp: now,
          }));
          sent = due;
          await producer.send({ topic, acks: -1, messages });
        } else {
          await new Promise((r) => setTimeout(r, 1));
        }
      }
    },
    close: async () => {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}
