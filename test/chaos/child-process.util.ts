import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Repository root: children run with it as cwd so tsx finds tsconfig.json (and its path aliases). */
export const ROOT = join(__dirname, '..', '..');

const live = new Set<ManagedChild>();
// Whatever ends the test process (a failed assertion, a forced jest exit), no child may outlive it.
process.once('exit', () => live.forEach((child) => child.signalGroup('SIGKILL')));

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One child process in a process group of its own (`detached`), so that it and anything it spawned can be
 * killed together. Stdout is split into lines and handed to listeners; stderr keeps a tail for error messages.
 */
export class ManagedChild {
  readonly pid: number;
  readonly exited: Promise<ChildExit>;
  private stderrTail = '';
  private partial = '';
  private readonly listeners: Array<(line: string) => void> = [];

  constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    if (proc.pid === undefined) throw new Error(`${name}: could not spawn`);
    this.pid = proc.pid;
    live.add(this);
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) this.listeners.forEach((listener) => listener(line));
    });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-6000);
    });
    this.exited = new Promise<ChildExit>((resolve) => {
      proc.once('exit', (code, signal) => {
        live.delete(this);
        resolve({ code, signal });
      });
    });
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  onLine(listener: (line: string) => void): void {
    this.listeners.push(listener);
  }

  write(text: string): void {
    this.proc.stdin?.write(text);
  }

  /** Signals the whole process group; a no-op when it is already gone. */
  signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs = 15_000): Promise<ChildExit> {
    if (this.running) this.signalGroup('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.exited, late]);
    clearTimeout(timer);
    this.signalGroup('SIGKILL');
    return this.exited;
  }
}

/** Starts `node --import tsx <file> ...args` from the repository root. */
export function spawnTs(name: string, file: string, args: string[], env: NodeJS.ProcessEnv): ManagedChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  return new ManagedChild(name, proc);
}

/** SIGKILLs every child still running (afterAll's safety net). */
export async function killAllChildren(): Promise<void> {
  const children = [...live];
  children.forEach((child) => child.signalGroup('SIGKILL'));
  await Promise.all(children.map((child) => child.exited));
}
