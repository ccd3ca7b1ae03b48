import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'services.sh');

/** Redis and Postgres for the dedup contenders: REDIS_URL / DATABASE_URL, else private ones from scripts/services.sh. */
export interface BenchServices {
  redisUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startServices(): Promise<BenchServices> {
  if (process.env.REDIS_URL && process.env.DATABASE_URL) {
    return {
      redisUrl: process.env.REDIS_URL,
      databaseUrl: process.env.DATABASE_URL,
      stop: async () => undefined,
    };
  }
  // `start` keeps whatever of REDIS_URL / DATABASE_URL is already set and starts the rest; its only stdout line
  // is `export REDIS_URL=... DATABASE_URL=... REDIS_SERVER_BIN=... NRK_SERVICES_DIR=...`.
  const { stdout } = await run('bash', [SCRIPT, 'start'], { env: process.env, maxBuffer: 1 << 20 });
  const vars = Object.fromEntries(
    [...stdout.matchAll(/(\w+)=(\S*)/g)].map(([, k, v]) => [
      k,
      v.replace(/^'(.*)'$/, '$1').replace(/\\(.)/g, '$1'),
    ]),
  );
  const dir = vars.NRK_SERVICES_DIR;
  if (!vars.REDIS_URL || !vars.DATABASE_URL || !dir)
    throw new Error(`scripts/services.sh start printed: ${stdout}`);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await run('bash', [SCRIPT, 'stop', dir]);
  };
  return { redisUrl: vars.REDIS_URL, databaseUrl: vars.DATABASE_URL, stop };
}
