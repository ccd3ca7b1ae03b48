import { spawn, ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

/** An embedded broker in its own process, so benchmarks measure the client side without sharing its CPU. */
export interface BrokerProcess {
  readonly brokers: string[];
  readonly pid: number;
  /** Peak resident set size of the broker process so far, in bytes (Linux VmHWM). */
  peakRss(): number;
  /** CPU time (user + system) the broker process has used so far, in seconds. */
  cpuSeconds(): number;
  /**
   * Runs one fault command on stdin (`kill 1`, `delay produce 500 10 1`, `clear`; see `npm run broker -- --help`)
   * and resolves with its `ok` answer once the CLI has run it; rejects with the CLI's `error: ...` answer.
   */
  command(line: string): Promise<string>;
  stop(): Promise<void>;
}

/** Broker processes started and not yet stopped, so an interrupted run can stop them all. */
const running = new Set<BrokerProcess>();

/** Stops every broker process this process started (on SIGINT / SIGTERM of the runner). */
export async function stopBrokerProcesses(): Promise<void> {
  await Promise.all([...running].map((b) => b.stop()));
}

export async function startBrokerProcess(args: string[] = []): Promise<BrokerProcess> {
  const root = join(__dirname, '..', '..');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'libs/embedded-broker/src/cli.ts'), ...args],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  // The CLI answers commands one line each, in the order it got them, so answers match a FIFO of waiters.
  const waiting: { line: string; resolve: (answer: string) => void; reject: (err: Error) => void }[] = [];
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = true;
    for (const w of waiting.splice(0))
      w.reject(new Error(`broker exited (${signal ?? code}) before '${w.line}'`));
  });
  const rl = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    rl.on('line', (l) => {
      if (l.startsWith('bootstrap: ')) return resolve(l);
      const w = waiting.shift();
      if (!w) return;
      if (l === 'ok') w.resolve(l);
      else w.reject(new Error(`broker: '${w.line}' -> ${l}`));
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code} before it was ready`)));
  });
  const brokers = line.slice('bootstrap: '.length).split(',');
  const broker: BrokerProcess = {
    brokers,
    pid: child.pid!,
    peakRss: () => {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    },
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    command: (text) =>
      new Promise<string>((resolve, reject) => {
        if (exited || text.includes('\n')) {
          reject(new Error(exited ? `broker has exited; cannot run '${text}'` : 'one command per call'));
          return;
        }
        waiting.push({ line: text, resolve, reject });
        child.stdin!.write(`${text}\n`);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        running.delete(broker);
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  running.add(broker);
  return broker;
}
