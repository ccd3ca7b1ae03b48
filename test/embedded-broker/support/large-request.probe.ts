/**
 * Measures how the broker copes with large requests: the latency of a 99 MB Produce (refused MESSAGE_TOO_LARGE),
 * how long other connections wait meanwhile, and the broker process' memory. A measurement, not a test:
 *
 *   node --import tsx test/embedded-broker/support/large-request.probe.ts
 *
 * The broker runs in its own process (the CLI), so its RSS is not mixed with the client's.
 */
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { startBrokerProcess } from '../../../bench/support/broker-process';
import { produceBody } from '../conformance/raw-produce';
import { RawConnection } from './raw-connection';

const MB = 1024 * 1024;
const API_VERSIONS = 18;

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** A produce frame whose single batch has `size` bytes (header only; the size is refused before the CRC). */
function hugeProduceFrame(topic: string, size: number): Buffer {
  const batch = Buffer.alloc(size);
  batch.writeInt32BE(size - 12, 8);
  batch.writeInt8(2, 16);
  batch.writeInt32BE(1, 57);
  return RawConnection.frame(0, 3, 1, produceBody({ topic, records: batch }));
}

/** Sends `frame` and waits for its answer, pinging another connection every 100 ms meanwhile. */
async function timed(
  conn: RawConnection,
  other: RawConnection,
  frame: Buffer,
): Promise<{ ms: number; maxPingMs: number }> {
  let maxPingMs = 0;
  let done = false;
  const pings = (async () => {
    while (!done) {
      const t = Date.now();
      await other.call(API_VERSIONS, 0, Buffer.alloc(0), 120_000);
      maxPingMs = Math.max(maxPingMs, Date.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const started = Date.now();
  conn.write(frame);
  const answer = await conn.nextFrame(300_000);
  const ms = Date.now() - started;
  done = true;
  await pings;
  if (!answer) throw new Error('connection closed instead of answering');
  return { ms, maxPingMs };
}

async function main(): Promise<void> {
  const broker = await startBrokerProcess(['--brokers', '1', '--port', '0']);
  try {
    const admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'probe' }], waitForLeaders: true });
    await admin.disconnect();
    const idle = rssMb(broker.pid);
    const conn = await RawConnection.open(broker.brokers[0]);
    const other = await RawConnection.open(broker.brokers[0]);
    const frame = hugeProduceFrame('probe', 99 * MB - 4096);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await timed(conn, other, frame));
    const afterLarge = rssMb(broker.pid);
    // Many connections at once, each with a 5 MB produce (also above max.message.bytes).
    const many = await Promise.all(Array.from({ length: 20 }, () => RawConnection.open(broker.brokers[0])));
    const mid = hugeProduceFrame('probe', 5 * MB);
    const t = Date.now();
    await Promise.all(many.map(async (c) => (c.write(mid), c.nextFrame(300_000))));
    const manyMs = Date.now() - t;
    const afterMany = rssMb(broker.pid);
    for (const c of [conn, other, ...many]) c.close();
    process.stdout.write(
      `${JSON.stringify({ idleMb: idle, produce99MbRuns: runs, afterLargeMb: afterLarge, concurrent20x5MbMs: manyMs, afterManyMb: afterMany }, null, 2)}\n`,
    );
  } finally {
    await broker.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
