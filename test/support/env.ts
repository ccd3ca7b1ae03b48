/** What starts each variable when it is missing, for the error message. */
const PROVIDERS: Record<string, string> = {
  REDIS_URL: 'which starts Redis',
  DATABASE_URL: 'which starts Postgres',
  REDIS_SERVER_BIN: 'which finds (or installs) redis-server',
};

/**
 * Reads an environment variable the suite needs and fails with a message saying how to provide it.
 * `npm test` (scripts/test.sh) sets REDIS_URL, DATABASE_URL and REDIS_SERVER_BIN; running jest directly does not.
 */
export function requireEnv(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) {
    const provider = PROVIDERS[name] ?? 'which sets it';
    throw new Error(`${name} is not set: run the suite with \`npm test\`, ${provider}, or set it`);
  }
  return value;
}
