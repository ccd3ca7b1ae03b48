import type { BenchConfig } from './bench-config';
import { runContender, type RunHooks } from './contender-process';
import type { BenchProgress } from './progress';
import type { ContenderResult, ContenderSpec } from './protocol.interface';
import type { Seeder } from './seed.util';
import type { BenchServices } from './services';

/** What every scenario gets from the runner. */
export interface BenchContext {
  config: BenchConfig;
  progress: BenchProgress;
  /** Redis + Postgres, started on first use; an Error when they could not be started. */
  services(): Promise<BenchServices | Error>;
  /** A topic / group name unique to this run. */
  unique(name: string): string;
}

/** Scenarios 1, 2 and 4 share one single-broker cluster (or KAFKA_BROKERS); 3 and 5 start their own. */
export interface SharedBrokerContext extends BenchContext {
  brokers: string[];
  seeder: Seeder;
}

export type Outcome = { ok: true; result: ContenderResult } | { ok: false; error: string };

/** Runs one contender with a progress bar; a failure becomes a row saying why, never a number. */
export async function measure(
  ctx: BenchContext,
  label: string,
  spec: ContenderSpec,
  total: number,
  options: Omit<RunHooks, 'onProgress'>,
): Promise<Outcome> {
  const update = ctx.progress.step(label, total);
  try {
    const result = await runContender(spec, { ...options, onProgress: update });
    update(total);
    return { ok: true, result };
  } catch (err) {
    const message = (err as Error).message;
    ctx.progress.log(`[bench] ${label} failed: ${message}`);
    return { ok: false, error: message.split('\n')[0] };
  } finally {
    ctx.progress.completed();
  }
}

/** Fills `topic` with a progress bar. */
export async function fillTopic(
  ctx: SharedBrokerContext,
  topic: string,
  count: number,
  make: Parameters<Seeder['fill']>[2],
): Promise<void> {
  const update = ctx.progress.step(`seeding ${topic} (${count.toLocaleString('en-US')} messages)`, count);
  await ctx.seeder.fill(topic, count, make, update);
}

/**
 * Keeps the better of two outcomes of the same contender (higher messages/s; a success beats a failure), so that
 * with BENCH_REPEAT a round disturbed by other work on the machine does not decide the result.
 */
export function best(a: Outcome | undefined, b: Outcome): Outcome {
  if (!a || !a.ok) return b;
  if (!b.ok) return a;
  return b.result.count / b.result.seconds > a.result.count / a.result.seconds ? b : a;
}
