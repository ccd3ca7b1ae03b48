import { ChildProcess, spawn } from 'child_process';
import { createConnection, createServer } from 'net';
import { tmpdir } from 'os';

/** A redis-server child owned by one test, which can take it down and bring it back on the same port. */
export interface RedisProcess {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`; stays valid across stop/start. */
  readonly url: string;
  /** Whether the server is running (started and not stopped or killed since). */
  readonly running: boolean;
  /** Starts it again on the same port (empty: nothing is persisted). No-op while running. */
  start(): Promise<void>;
  /** Graceful shutdown (SIGTERM); resolves when the process has exited. No-op when not running. */
  stop(): Promise<void>;
  /** Abrupt death (SIGKILL), like a crashed or partitioned-away server. */
  kill(): Promise<void>;
}

/** Options of {@link startRedisProcess}. */
export interface RedisProcessOptions {
  /** Port to listen on; a free one by default. */
  port?: number;
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number;
}

const children = new Set<ChildProcess>();
// A test that forgets stop() must not leave a server behind when jest exits (or is forced to).
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/** Asks the OS for a port nobody listens on. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function redisServerBin(): string {
  // scripts/test.sh exports the path (installing Debian's redis-server when it is missing).
  return process.env.REDIS_SERVER_BIN?.trim() || 'redis-server';
}

class ManagedRedis implements RedisProcess {
  readonly url: string;
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly port: number,
    private readonly startTimeoutMs: number,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(): Promise<void> {
    if (this.child) return;
    if (await canConnect(this.port))
      throw new Error(`port ${this.port} is already in use; cannot start redis-server`);
    const bin = redisServerBin();
    // Nothing persisted (--save '', no AOF): a restart comes back empty, like a replacement server.
    const args = [
      '--port',
      `${this.port}`,
      '--bind',
      '127.0.0.1',
      '--dir',
      tmpdir(),
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let exitInfo: string | undefined;
    this.exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        exitInfo = `${error.message} (set REDIS_SERVER_BIN or run the suite with \`npm test\`)`;
        resolve();
      });
      child.once('exit', (code, signal) => {
        exitInfo = `exited with ${signal ?? `code ${code}`}`;
        resolve();
      });
    }).then(() => {
      children.delete(child);
      if (this.child === child) this.child = undefined;
    });
    children.add(child);
    this.child = child;

    const deadline = Date.now() + this.startTimeoutMs;
    while (!(await canConnect(this.port))) {
      if (exitInfo || Date.now() > deadline) {
        await this.kill();
        throw new Error(
          `redis-server (${bin}) on port ${this.port} did not start: ${exitInfo ?? 'timeout'}\n${output}`,
        );
      }
      await new Promise<void>((resolve) => setTimeout(resolve, 25));
    }
  }

  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    await this.exited;
  }
}

/**
 * Starts a dedicated redis-server child process for a test that takes Redis down and brings it back (the shared
 * REDIS_URL server must stay up for the other tests). Stop it in `afterAll`.
 */
export async function startRedisProcess(options: RedisProcessOptions = {}): Promise<RedisProcess> {
  const port = options.port ?? (await findFreePort());
  const redis = new ManagedRedis(port, options.startTimeoutMs ?? 10_000);
  await redis.start();
  return redis;
}
