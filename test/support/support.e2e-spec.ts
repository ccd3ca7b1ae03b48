import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import Redis from 'ioredis';
import { tmpdir } from 'os';
import { join } from 'path';
import { requireEnv } from './env';
import { externalBrokers } from './external-brokers';
import { RedisProcess, startRedisProcess } from './redis-process';
import { uniqueName, uniqueSqlName } from './unique-name';
import { waitFor } from './wait-for';

describe('test support', () => {
  describe('requireEnv', () => {
    const name = 'NRK_SUPPORT_SPEC_VARIABLE';
    afterEach(() => delete process.env[name]);

    it('returns the value when set', () => {
      process.env[name] = ' value ';
      expect(requireEnv(name)).toBe('value');
    });

    it('says how to provide REDIS_URL when it is missing', () => {
      const saved = process.env.REDIS_URL;
      delete process.env.REDIS_URL;
      try {
        expect(() => requireEnv('REDIS_URL')).toThrow(
          'REDIS_URL is not set: run the suite with `npm test`, which starts Redis, or set it',
        );
      } finally {
        if (saved !== undefined) process.env.REDIS_URL = saved;
      }
    });

    it('rejects an empty value', () => {
      process.env[name] = '  ';
      expect(() => requireEnv(name)).toThrow(`${name} is not set`);
    });
  });

  describe('externalBrokers', () => {
    const saved = process.env.KAFKA_BROKERS;
    afterEach(() => {
      if (saved === undefined) delete process.env.KAFKA_BROKERS;
      else process.env.KAFKA_BROKERS = saved;
    });

    it('splits and trims KAFKA_BROKERS', () => {
      process.env.KAFKA_BROKERS = 'localhost:9092, localhost:9093,,localhost:9094 ';
      expect(externalBrokers()).toEqual(['localhost:9092', 'localhost:9093', 'localhost:9094']);
    });

    it('is undefined when KAFKA_BROKERS is unset or blank', () => {
      delete process.env.KAFKA_BROKERS;
      expect(externalBrokers()).toBeUndefined();
      process.env.KAFKA_BROKERS = ' , ';
      expect(externalBrokers()).toBeUndefined();
    });
  });

  describe('uniqueName', () => {
    it('keeps the prefix, differs on every call and is a legal topic name', () => {
      const names = new Set(Array.from({ length: 100 }, () => uniqueName('orders topic/é')));
      expect(names.size).toBe(100);
      for (const name of names) expect(name).toMatch(/^orders-topic--[a-zA-Z0-9._-]+$/);
    });

    it('makes unquoted Postgres identifiers', () => {
      const name = uniqueSqlName('1-Dedup Table');
      expect(name).toMatch(/^_1_dedup_table_[a-z0-9_]+$/);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(uniqueSqlName('x')).not.toBe(uniqueSqlName('x'));
    });
  });

  describe('waitFor', () => {
    it('resolves with the first truthy value', async () => {
      let calls = 0;
      const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
      expect(value).toEqual({ calls: 3 });
    });

    it('treats a throwing predicate as not yet true', async () => {
      let calls = 0;
      await waitFor(
        () => {
          calls += 1;
          expect(calls).toBeGreaterThan(2);
          return true;
        },
        { intervalMs: 1 },
      );
      expect(calls).toBe(3);
    });

    it('throws the message and the last error on timeout', async () => {
      await expect(
        waitFor(
          () => {
            throw new Error('still 2 of 3');
          },
          { timeoutMs: 30, intervalMs: 5, message: () => 'all messages consumed' },
        ),
      ).rejects.toThrow(/timed out after 30 ms: all messages consumed\nlast error: still 2 of 3/);
    });
  });

  describe('startRedisProcess', () => {
    let redis: RedisProcess | undefined;
    let client: Redis | undefined;
    afterAll(async () => {
      client?.disconnect();
      await redis?.stop();
    });

    it('starts, stops and restarts a dedicated server on the same port', async () => {
      redis = await startRedisProcess();
      client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50, lazyConnect: true });
      await client.connect();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');

      await redis.stop();
      expect(redis.running).toBe(false);
      await expect(client.get('k')).rejects.toThrow();

      await redis.start();
      expect(redis.running).toBe(true);
      // Nothing is persisted, so the restarted server is empty; the client reconnects on its own.
      expect(await waitFor(async () => (await client?.ping()) === 'PONG')).toBe(true);
      expect(await client.get('k')).toBeNull();
      await client.quit();
      client = undefined;

      await redis.kill();
      expect(redis.running).toBe(false);
    });

    it('refuses a port that is in use', async () => {
      const shared = new URL(requireEnv('REDIS_URL'));
      await expect(startRedisProcess({ port: Number(shared.port || 6379) })).rejects.toThrow(
        'already in use',
      );
    });
  });

  describe('scripts/jest-summary.js (the CI summary line)', () => {
    const root = join(__dirname, '..', '..');
    const dir = mkdtempSync(join(tmpdir(), 'nrk-summary-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const summarize = (results: unknown, exitCode: number): { stdout: string; stderr: string } => {
      const file = join(dir, `results-${exitCode}.json`);
      if (results !== undefined) writeFileSync(file, JSON.stringify(results));
      const run = spawnSync(process.execPath, ['scripts/jest-summary.js', file, `${exitCode}`], {
        cwd: root,
        encoding: 'utf8',
      });
      return { stdout: run.stdout.trim(), stderr: run.stderr };
    };
    const suite = (name: string, status: string, tests: string[], failureMessage = '') => ({
      name: join(root, name),
      status,
      failureMessage,
      assertionResults: tests.map((test, i) => ({ fullName: `t${i}`, status: test })),
    });

    it('counts failed tests and files that failed outside a test', () => {
      const results = {
        numPassedTests: 3,
        numFailedTests: 1,
        testResults: [
          suite('a.e2e-spec.ts', 'passed', ['passed', 'passed']),
          suite('b.e2e-spec.ts', 'failed', ['passed', 'failed']),
          suite('c.e2e-spec.ts', 'failed', [], '  ● Test suite failed to run\n\n    boom at import'),
        ],
      };
      const { stdout, stderr } = summarize(results, 1);
      expect(stdout).toBe('3 2');
      expect(stderr).toContain('FAILED: b.e2e-spec.ts > t1');
      expect(stderr).toContain('FAILED: c.e2e-spec.ts (file failed outside a test: boom at import)');
    });

    it('counts a missing results file, or a failing exit code with nothing failed, as one failure', () => {
      expect(summarize(undefined, 137).stdout).toBe('0 1');
      const clean = {
        numPassedTests: 2,
        numFailedTests: 0,
        testResults: [suite('a.e2e-spec.ts', 'passed', ['passed'])],
      };
      expect(summarize(clean, 0).stdout).toBe('2 0');
      expect(summarize(clean, 1).stdout).toBe('2 1');
    });
  });
});
