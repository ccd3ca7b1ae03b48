import { spawn } from 'child_process';
import { join } from 'path';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { startKafkaTarget, uniqueName, type KafkaTarget } from '../support';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'libs/reliable-kafka/src/doctor/doctor.cli.ts');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a child process. Asynchronously: the broker lives in this process and must keep answering. */
function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run doctor (CLI)', () => {
  let target: KafkaTarget;
  let admin: Admin;
  let brokers: string;
  const good = uniqueName('cli-good');
  const bad = uniqueName('cli-bad');

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 3 });
    brokers = target.brokers.join(',');
    admin = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const safe = [{ name: 'min.insync.replicas', value: '2' }];
    await admin.createTopics({
      topics: [
        { topic: good, numPartitions: 2, replicationFactor: 3, configEntries: safe },
        { topic: `${good}.dlt`, numPartitions: 2, replicationFactor: 3, configEntries: safe },
        {
          topic: bad,
          numPartitions: 2,
          replicationFactor: 3,
          configEntries: [{ name: 'unclean.leader.election.enable', value: 'true' }],
        },
      ],
    });
  });

  afterAll(async () => {
    await admin?.disconnect();
    await target?.stop();
  });

  it('exits 0 and prints a table without errors for a safe topic', async () => {
    const r = await runCli(['--brokers', brokers, '--topic', good]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Kafka doctor: 1 topic(s)');
    expect(r.stdout).toMatch(/\n0 error\(s\)/);
    expect(r.stdout).not.toContain(good);
  });

  it('exits 1 and lists the findings of an unsafe topic', async () => {
    const r = await runCli(['--brokers', brokers, '--topic', good, '--topic', bad]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.includes(`${bad} `) && l.includes('min.insync.replicas'))).toMatch(/^error\s/);
    expect(lines.find((l) => l.includes(`${bad} `) && l.includes('unclean.leader.election.enable'))).toMatch(
      /^error\s.*\btrue\s+false\b/,
    );
    expect(lines.find((l) => l.includes(`${bad}.dlt`))).toMatch(/^error\s.*dead-letter topic\s+missing/);
  });

  it('prints JSON with --json and honours --no-dlt', async () => {
    const r = await runCli(['--brokers', brokers, '--topic', bad, '--json', '--no-dlt']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      ok: boolean;
      findings: Array<{ topic?: string; setting: string; severity: string }>;
    };
    expect(json.ok).toBe(false);
    const mine = json.findings.filter((f) => f.topic === bad).map((f) => [f.severity, f.setting]);
    expect(mine).toEqual([
      ['error', 'min.insync.replicas'],
      ['error', 'unclean.leader.election.enable'],
    ]);
    expect(json.findings.some((f) => f.topic === `${bad}.dlt`)).toBe(false);
  });

  it('checks every non-internal topic when no --topic is given', async () => {
    const r = await runCli(['--brokers', brokers, '--json']);
    const topics = new Set(
      (JSON.parse(r.stdout) as { findings: Array<{ topic?: string }> }).findings.map((f) => f.topic),
    );
    expect(topics.has(bad)).toBe(true);
    expect(r.code).toBe(1);
  });

  it.each([
    ['no --brokers', ['--topic', 'x']],
    ['a broker without port', ['--brokers', 'localhost']],
    ['an unknown option', ['--brokers', 'localhost:9092', '--frobnicate']],
  ])('exits 2 with the usage on %s', async (_name, args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: npm run doctor');
    expect(r.stdout).toBe('');
  });

  it('exits 1 when the cluster cannot be reached', async () => {
    const r = await runCli(['--brokers', '127.0.0.1:1', '--topic', good]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not read the cluster at 127.0.0.1:1');
  });
});
