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
  stop(): Promise<void>;
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
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (l) => l.startsWith('bootstrap: ') && resolve(l));
    child.once('exit', (code) => reject(new Error(`broker exited with ${code} before it was ready`)));
  });
  const brokers = line.slice('bootstrap: '.length).split(',');
  return {
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
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
