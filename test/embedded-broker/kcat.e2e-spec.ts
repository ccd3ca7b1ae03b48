import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { uniqueName } from '../support';
import { readTopic } from './support/read-topic';

/** librdkafka-based client (Debian package `kcat`; the test script installs it on a fresh machine). */
const KCAT = process.env.KCAT_BIN ?? '/usr/bin/kcat';

interface KcatResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kcat(args: string[], input?: string): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(KCAT, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    p.stdin.end(input ?? '');
  });
}

/** librdkafka first asks ApiVersions v3 (flexible); our v0 UNSUPPORTED_VERSION answer makes it retry with v0, as with Kafka < 2.4. */
const isApiVersionsFallback = (line: string): boolean =>
  /ApiVersion v3\(flex\)|ApiArrayCnt -1 out of range/.test(line);

describe('embedded broker with a librdkafka client (kcat)', () => {
  let cluster: EmbeddedKafka;
  let bootstrap: string;

  beforeAll(async () => {
    if (!existsSync(KCAT))
      throw new Error(
        `kcat not found at ${KCAT}: install the Debian package \`kcat\` (apt-get install kcat) or set KCAT_BIN`,
      );
    cluster = await EmbeddedKafka.start({
      brokers: 3,
      settings: { defaultReplicationFactor: 3, defaultPartitions: 2 },
    });
    bootstrap = cluster.bootstrapServers.join(',');
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('kcat -L lists brokers, controller, and partitions with leaders, replicas and ISR', async () => {
    const topic = uniqueName('kcat-meta');
    const admin = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 2 }] });
    await admin.disconnect();

    const r = await kcat(['-b', bootstrap, '-L', '-J', '-t', topic]);
    expect(r.code).toBe(0);
    const meta = JSON.parse(r.stdout) as {
      controllerid: number;
      brokers: Array<{ id: number; name: string }>;
      topics: Array<{
        topic: string;
        partitions: Array<{
          partition: number;
          leader: number;
          replicas: Array<{ id: number }>;
          isrs: Array<{ id: number }>;
        }>;
      }>;
    };
    expect(meta.controllerid).toBe(0);
    expect(meta.brokers.map((b) => b.name).sort()).toEqual([...cluster.bootstrapServers].sort());
    const t = meta.topics.find((x) => x.topic === topic);
    expect(t?.partitions).toHaveLength(3);
    for (const p of t?.partitions ?? []) {
      const broker = cluster.cluster.partition(topic, p.partition);
      expect(p.leader).toBe(broker?.leader);
      expect(p.replicas.map((x) => x.id)).toEqual(broker?.replicas);
      expect(p.isrs.map((x) => x.id).sort()).toEqual([...(broker?.isr ?? [])].sort());
    }
  });

  it('kcat -P produces (gzip too) and kcat -C -e consumes, keys and values intact', async () => {
    const topic = uniqueName('kcat-roundtrip');
    const lines = Array.from({ length: 50 }, (_, i) => `key-${i}\tvalue-${i}`);
    const produced = await kcat(
      ['-b', bootstrap, '-P', '-t', topic, '-K', '\t', '-p', '0'],
      `${lines.join('\n')}\n`,
    );
    expect(produced).toMatchObject({ code: 0 });
    const gz = await kcat(
      ['-b', bootstrap, '-P', '-t', topic, '-K', '\t', '-p', '0', '-z', 'gzip'],
      'gz-key\tgz-value\n',
    );
    expect(gz).toMatchObject({ code: 0 });

    const consumed = await kcat([
      '-b',
      bootstrap,
      '-C',
      '-t',
      topic,
      '-p',
      '0',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%k=%s@%o\n',
    ]);
    expect(consumed.code).toBe(0);
    const expected = [...lines.map((l, i) => `${l.replace('\t', '=')}@${i}`), 'gz-key=gz-value@50'];
    expect(consumed.stdout.trim().split('\n')).toEqual(expected);
  });

  it('interoperates with kafkajs in both directions', async () => {
    const topic = uniqueName('kcat-interop');
    const producer = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ partition: 0, key: 'from', value: 'kafkajs' }] });
    } finally {
      await producer.disconnect();
    }
    expect(
      await kcat(['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-K', ':'], 'from:kcat\n'),
    ).toMatchObject({ code: 0 });
    const byKcat = await kcat(['-b', bootstrap, '-C', '-t', topic, '-p', '0', '-e', '-q', '-f', '%k:%s\n']);
    expect(byKcat.stdout.trim().split('\n')).toEqual(['from:kafkajs', 'from:kcat']);
    const byKafkajs = await readTopic(cluster.bootstrapServers, topic);
    expect(byKafkajs.filter((r) => r.partition === 0).map((r) => `${r.key}:${r.value}`)).toEqual([
      'from:kafkajs',
      'from:kcat',
    ]);
  });

  it('kcat -G consumes as a member of a consumer group (FindCoordinator, JoinGroup, SyncGroup, OffsetFetch)', async () => {
    const topic = uniqueName('kcat-group');
    expect(await kcat(['-b', bootstrap, '-P', '-t', topic], 'g1\ng2\ng3\n')).toMatchObject({ code: 0 });
    const r = await kcat([
      '-b',
      bootstrap,
      '-G',
      uniqueName('kcat-group'),
      topic,
      '-X',
      'auto.offset.reset=earliest',
      '-e',
      '-q',
      '-f',
      '%s\n',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['g1', 'g2', 'g3']);
  });

  it('librdkafka negotiates only versions we advertise (no protocol errors beyond the ApiVersions v3 fallback)', async () => {
    const topic = uniqueName('kcat-protocol');
    const p = await kcat(['-b', bootstrap, '-P', '-t', topic, '-d', 'protocol'], 'x\ny\n');
    const c = await kcat([
      '-b',
      bootstrap,
      '-C',
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-d',
      'protocol',
    ]);
    expect([p.code, c.code]).toEqual([0, 0]);
    const log = `${p.stderr}\n${c.stderr}`.split('\n');
    const sent = new Set(
      log
        .map((l) => /Sent (\w+)Request \(v(\d+)/.exec(l))
        .filter((m) => m)
        .map((m) => `${m?.[1]} v${m?.[2]}`),
    );
    expect([...sent]).toEqual(
      expect.arrayContaining(['Metadata v4', 'Produce v7', 'ListOffsets v2', 'Fetch v11']),
    );
    const problems = log.filter(
      (l) =>
        /PROTOERR|UNSUPPORTED|[Ee]rror/.test(l) && !isApiVersionsFallback(l) && !/retrying with v0/.test(l),
    );
    expect(problems).toEqual([]);
    expect(c.stdout.trim().split('\n').sort()).toEqual(['x', 'y']);
  });
});
