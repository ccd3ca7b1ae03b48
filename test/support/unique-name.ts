import { randomBytes } from 'crypto';

let counter = 0;

function suffix(): string {
  counter += 1;
  return `${process.pid.toString(36)}${counter.toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * A name no other test (in this or a parallel run against the same cluster) uses: for topics, consumer groups,
 * client ids, Redis key prefixes. Characters Kafka does not allow in topic names become `-`.
 */
export function uniqueName(prefix: string): string {
  const clean = prefix.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 180);
  return `${clean}-${suffix()}`;
}

/**
 * Like {@link uniqueName} but usable as an unquoted Postgres identifier (table, schema): lower case letters,
 * digits and `_`, at most 63 characters.
 */
export function uniqueSqlName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^[^a-z_]/, '_$&')
    .slice(0, 40);
  return `${clean}_${suffix()}`;
}
