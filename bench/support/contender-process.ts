import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ChildMessage, ContenderResult, ContenderSpec, ParentMessage } from './protocol.interface';

export interface RunHooks {
  /** Handled-so-far, every 200 ms. */
  onProgress?(done: number): void;
  /** The backlog is drained; what this returns (e.g. a paced live phase) runs while the child keeps consuming. */
  onDrained?(drain: { count: number; seconds: number }): Promise<void>;
  /** The measured phase started at `at` (epoch ms, performance.timeOrigin + performance.now() in the child). */
  onMeasuring?(at: number): void;
  /** The child's result arrived (the measured phase is over; the child is shutting down). */
  onResult?(): void;
  /** Kill the child when no result arrived in time. */
  timeoutMs: number;
}

const WORKER = join(__dirname, '..', 'contenders', 'contender.worker.ts');
const EXEC_ARGV = ['--require', join(__dirname, 'ts-register.cjs')];
/** BENCH_CPU_PROF=<dir>: every contender writes a V8 CPU profile there (summarize with bench/profile-summary.ts). */
const PROFILE_ARGV = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : [];

/**
 * Runs one contender in its own Node process, so its peak RSS is its own and its garbage does not slow the next
 * contender down. Resolves with the child's result once it has shut down cleanly.
 */
export function runContender(spec: ContenderSpec, hooks: RunHooks): Promise<ContenderResult> {
  const child = fork(WORKER, [JSON.stringify(spec)], {
    execArgv: [...EXEC_ARGV, ...PROFILE_ARGV],
    env: { ...process.env, BENCH_CONTENDER: spec.contender },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  return new Promise<ContenderResult>((resolve, reject) => {
    let result: ContenderResult | undefined;
    let failure: Error | undefined;
    const timer = setTimeout(() => {
      failure = new Error(`timed out after ${Math.round(hooks.timeoutMs / 1000)} s`);
      child.kill('SIGKILL');
    }, hooks.timeoutMs);
    const stop = (): void => {
      if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
      // A client that hangs on disconnect must not hang the whole run.
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    };
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'progress') hooks.onProgress?.(m.done);
      else if (m.type === 'measuring') hooks.onMeasuring?.(m.at);
      else if (m.type === 'drained')
        hooks.onDrained?.(m).catch((err: Error) => {
          failure = err;
          child.kill('SIGKILL');
        });
      else if (m.type === 'result') {
        result = m.result;
        hooks.onResult?.();
        stop();
      } else if (m.type === 'error') failure = new Error(m.message);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && !failure) return resolve(result);
      const why = failure?.message ?? `exited with ${signal ?? code} before reporting a result`;
      reject(
        new Error(
          `${spec.contender}: ${why.split('\n')[0]}${output ? `\n--- child output ---\n${output}` : ''}`,
        ),
      );
    });
  });
}

/** Loads every contender module once in a throwaway process, filling the transpile cache (see ts-register.cjs). */
export function warmContenders(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, ['--warm'], {
      execArgv: EXEC_ARGV,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`warming the contenders failed (${code})`)),
    );
  });
}
