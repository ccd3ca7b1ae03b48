import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Admin, Kafka, logLevel, Producer } from 'kafkajs';
import { KafkaTarget, startKafkaTarget, uniqueName } from '../support';

/** librdkafka-based client (Debian package `kcat`). */
const KCAT = process.env.KCAT_BIN ?? '/usr/bin/kcat';

/**
 * Runs a kcat balanced consumer (-G) until it has read `count` messages; returns "partition:value" lines. It starts
 * from the committed offsets (earliest when none): kcat's `-o` would override them on every assignment.
 */
function kcatGroupConsume(brokers: string, groupId: string, topic: string, count: number): Promise<string[]> {
  const args = [
    '-b',
    brokers,
    '-G',
    groupId,
    '-X',
    'auto.offset.reset=earliest',
    '-c',
    String(count),
    '-f',
    '%p:%s\\n',
  ];
  return new Promise((resolve, reject) => {
    const p = spawn(KCAT, [...args, '-X', 'session.timeout.ms=6000', topic], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`kcat exited with ${code}: ${stderr}`));
      else resolve(stdout.split('\n').filter(Boolean));
    });
  });
}

/** A librdkafka consumer group (its own JoinGroup/SyncGroup versions, range assignor, commit on close). */
describe('consumer groups with a librdkafka client (kcat -G)', () => {
  let target: KafkaTarget;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    if (!existsSync(KCAT))
      throw new Error(`kcat not found at ${KCAT}: apt-get install kcat, or set KCAT_BIN`);
    target = await startKafkaTarget();
    const kafka = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await target?.stop();
  });

  it('consumes every partition, commits on close, and resumes from the committed offsets', async () => {
    const topic = uniqueName('groups-kcat');
    const groupId = uniqueName('g-kcat');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const first = Array.from({ length: 10 }, (_, i) => ({ value: `first-${i}`, partition: i % 2 }));
    await producer.send({ topic, messages: first });

    const read1 = await kcatGroupConsume(target.brokers.join(','), groupId, topic, 10);
    expect(read1.sort()).toEqual(first.map((m) => `${m.partition}:${m.value}`).sort());
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual([
      '5',
      '5',
    ]);
    expect((await admin.describeGroups([groupId])).groups[0]).toMatchObject({
      state: 'Empty',
      protocolType: 'consumer',
    });

    const second = Array.from({ length: 4 }, (_, i) => ({ value: `second-${i}`, partition: i % 2 }));
    await producer.send({ topic, messages: second });
    const read2 = await kcatGroupConsume(target.brokers.join(','), groupId, topic, 4);
    expect(read2.sort()).toEqual(second.map((m) => `${m.partition}:${m.value}`).sort());
  });
});
