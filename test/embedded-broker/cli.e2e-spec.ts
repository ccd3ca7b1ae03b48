import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { uniqueName, waitFor } from '../support';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'libs', 'embedded-broker', 'src', 'cli.ts');

/** One running CLI process: its stdout lines, stderr text and exit. */
class CliProcess {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private partial = '';

  constructor(readonly proc: ChildProcess) {
    proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
      const parts = (this.partial + d).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(args: string[], viaNpm = false): CliProcess {
    const [cmd, argv] = viaNpm
      ? ['npm', ['run', '--silent', 'broker', '--', ...args]]
      : [TSX, [CLI, ...args]];
    // A process group of its own, so a test can signal npm, tsx and the broker together as a terminal's Ctrl-C does,
    // and kill all of them in afterAll even when a test failed half-way.
    return new CliProcess(spawn(cmd, argv, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], detached: true }));
  }

  /** Waits until stdout has `count` lines (the bootstrap line is line 1). */
  async line(index: number): Promise<string> {
    await waitFor(() => this.lines.length > index, {
      message: () => `stdout line ${index + 1}; stderr: ${this.stderr}`,
    });
    return this.lines[index];
  }

  /** Sends one stdin command and returns its one-line answer. */
  async command(cmd: string): Promise<string> {
    const next = this.lines.length;
    this.proc.stdin?.write(`${cmd}\n`);
    return this.line(next);
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Signals the CLI process itself (tsx relays it to the broker process). */
  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.proc.kill(signal);
    return this.exited;
  }

  /** Signals the whole process group, as a terminal does on Ctrl-C. */
  signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-(this.proc.pid as number), signal);
    } catch {
      // already gone
    }
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A base port with `count` consecutive free ports, for the CLI's port + i layout. */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => canListen(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free port range found');
}

async function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = CliProcess.start(args);
  const { code } = await cli.exited;
  return { code, stdout: cli.lines.join('\n'), stderr: cli.stderr };
}

describe('embedded broker CLI', () => {
  const running: CliProcess[] = [];
  afterAll(async () => {
    for (const c of running) c.signalGroup('SIGKILL');
    await Promise.all(running.map((c) => c.exited));
  });

  it('--help lists every option and stdin command, and exits 0', async () => {
    const { code, stdout } = await runToExit(['--help']);
    expect(code).toBe(0);
    for (const word of [
      '--brokers',
      '--port',
      '--host',
      '--partitions',
      '--replication-factor',
      '--min-insync-replicas',
      '--no-auto-create',
      '--replication-lag-ms',
      '--replica-lag-time-max-ms',
      'kill <broker>',
      'stop <broker>',
      'restart <broker>',
      'fail <api>',
      'drop <api>',
      'delay <api>',
      'move-leader',
      'isolate',
      'reconnect',
      'lag <broker>',
      'close-connections',
      'not for production',
    ]) {
      expect(stdout).toContain(word);
    }
  });

  it.each([
    [['--brokers', '0'], '--brokers must be between 1'],
    [['--brokers', 'three'], '--brokers must be a whole number'],
    [['--port', '70000'], '--port must be between 0 and 65535'],
    [['--brokers', '1', '--replication-factor', '3'], '--replication-factor 3 is larger than --brokers 1'],
    [['--min-insync-replicas', '0'], '--min-insync-replicas must be between 1'],
    [['--replication-lag-ms=-5'], "--replication-lag-ms must be a whole number, got '-5'"],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
  ])('rejects %j with exit code 2 and a clear message', async (args, message) => {
    const { code, stdout, stderr } = await runToExit(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('prints exactly one bootstrap line, serves kafkajs, applies its options and exits 0 on SIGTERM with ports released', async () => {
    const port = await freePorts(3);
    const cli = CliProcess.start([
      '--brokers',
      '3',
      '--port',
      String(port),
      '--partitions',
      '4',
      '--replication-factor',
      '3',
      '--min-insync-replicas',
      '2',
    ]);
    running.push(cli);
    const bootstrap = `bootstrap: 127.0.0.1:${port},127.0.0.1:${port + 1},127.0.0.1:${port + 2}`;
    expect(await cli.line(0)).toBe(bootstrap);

    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    try {
      const topic = uniqueName('cli-auto');
      await producer.send({ topic, acks: -1, messages: [{ value: 'hello' }] });
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0].partitions).toHaveLength(4);
      expect(meta.topics[0].partitions.every((p) => p.replicas.length === 3)).toBe(true);
      const { resources } = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
        includeSynonyms: false,
      });
      expect(resources[0].configEntries[0].configValue).toBe('2');
    } finally {
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    }

    const exit = await cli.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(cli.lines.filter((l) => l !== '')).toEqual([bootstrap]);
    for (let i = 0; i < 3; i++) expect(await canListen(port + i)).toBe(true);
  });

  it('runs fault commands from stdin, answering ok or error per line', async () => {
    const port = await freePorts(3);
    const cli = CliProcess.start(['--brokers', '3', '--port', String(port), '--replication-factor', '3']);
    running.push(cli);
    await cli.line(0);
    const kafka = new Kafka({
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 50 },
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topic = uniqueName('cli-faults');
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });

      expect(await cli.command('kill 1')).toBe('ok');
      const brokersAfterKill = await waitFor(async () =>
        (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort(),
      );
      expect(brokersAfterKill).toEqual([0, 2]);
      expect(await cli.command('restart 1')).toBe('ok');
      await waitFor(async () => (await admin.describeCluster()).brokers.length === 3);
      await waitFor(
        async () =>
          (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions[0].isr.length === 3,
      );

      expect(await cli.command(`move-leader ${topic} 0 2`)).toBe('ok');
      expect((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions[0].leader).toBe(2);

      expect(await cli.command('fail create-topics INVALID_REPLICATION_FACTOR 1')).toBe('ok');
      await expect(
        admin.createTopics({ topics: [{ topic: uniqueName('cli-failed') }] }),
      ).rejects.toMatchObject({
        errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
      });
      expect(await admin.createTopics({ topics: [{ topic: uniqueName('cli-ok') }] })).toBe(true);

      expect(await cli.command(`isolate ${topic} 0 1`)).toBe('ok');
      expect(await cli.command(`reconnect ${topic} 0 1`)).toBe('ok');
      expect(await cli.command('lag 1 100')).toBe('ok');
      expect(await cli.command('lag 1 off')).toBe('ok');
      expect(await cli.command('delay metadata 10 1')).toBe('ok');
      expect(await cli.command('drop produce 1 0')).toBe('ok');
      expect(await cli.command('clear')).toBe('ok');
      expect(await cli.command('close-connections')).toBe('ok');
      expect(await cli.command('stop 0')).toBe('ok');

      expect(await cli.command('explode 1')).toBe("error: unknown command 'explode' (see --help)");
      expect(await cli.command('kill 9')).toBe('error: no broker 9');
      expect(await cli.command('fail produce 9999')).toBe('error: unknown error code 9999');
      expect(await cli.command('fail teleport 19')).toBe("error: unknown api 'teleport'");
      expect(await cli.command(`isolate ${topic} 5 1`)).toBe(`error: unknown partition ${topic}-5`);
      expect(await cli.command('kill')).toBe('error: usage: kill <broker>');
    } finally {
      await admin.disconnect();
    }
    expect(await cli.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('--no-auto-create refuses unknown topics; `npm run broker` stops cleanly on Ctrl-C (SIGINT to the group)', async () => {
    const port = await freePorts(1);
    const cli = CliProcess.start(['--port', String(port), '--no-auto-create'], true);
    running.push(cli);
    expect(await cli.line(0)).toBe(`bootstrap: 127.0.0.1:${port}`);
    const producer = new Kafka({
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
    }).producer();
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: uniqueName('cli-noauto'), messages: [{ value: 'x' }] }),
      ).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
    cli.signalGroup('SIGINT');
    await cli.exited; // npm itself re-raises the signal, so its own exit status says SIGINT.
    expect(cli.stderr).toContain('SIGINT: stopping');
    await waitFor(() => canListen(port), { message: `port ${port} released` });
  });
});
