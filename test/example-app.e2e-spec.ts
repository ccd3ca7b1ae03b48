import { spawn } from 'child_process';
import path from 'path';
import type { OrdersSummary } from '../src/summary';

jest.setTimeout(180_000);

/** `npm start` exactly as a user runs it: no servers, no env vars, everything embedded. */
describe('example app (npm start on embedded defaults)', () => {
  it('ends with zero lost and zero duplicated effects, having suppressed duplicates and retried failures', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ORDERS: '40', DUPLICATE_EVERY: '4', FAIL_EVERY: '6' };
    delete env.KAFKA_BROKERS;
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const run = await runProcess('npx', ['tsx', 'src/main.ts'], env);

    expect({ code: run.code, tail: run.output.slice(-2_000) }).toEqual({ code: 0, tail: expect.any(String) });
    expect(run.output).toContain('Kafka: embedded broker');
    expect(run.output).toMatch(/Dedup: (Postgres store, transactional|in-process memory store)/);
    const summary = parseSummary(run.output);
    expect(summary).toEqual({
      produced: 50, // 40 orders + every 4th sent twice
      acked: 50,
      processed: 40,
      duplicatesSuppressed: 10,
      failuresRetried: expect.any(Number),
      lost: 0,
      duplicatedEffects: 0,
    });
    expect(summary.failuresRetried).toBeGreaterThan(0);
  });
});

function parseSummary(output: string): OrdersSummary {
  const line = output.split('\n').find((l) => l.startsWith('SUMMARY '));
  if (!line) throw new Error(`no SUMMARY line in the output:\n${output.slice(-3_000)}`);
  return JSON.parse(line.slice('SUMMARY '.length)) as OrdersSummary;
}

function runProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: path.resolve(__dirname, '..'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
