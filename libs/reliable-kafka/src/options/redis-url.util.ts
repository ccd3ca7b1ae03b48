import { CONFIG_MESSAGES } from '../reliable-kafka.messages';
import { fail } from './option-checks.util';

/**
 * A Redis URL as ioredis takes it: `redis://` or `rediss://` with a host, or a unix socket path. Checked at
 * startup so that a typo names the option instead of surfacing as a bare `TypeError: Invalid URL`. The value is
 * echoed with its password masked.
 */
export function redisUrl(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(option, CONFIG_MESSAGES.redisUrl());
  if (value.startsWith('/')) return value;
  const shown = JSON.stringify(value.replace(/:[^:@/]*@/, ':***@'));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(option, CONFIG_MESSAGES.redisUrlInvalid(shown, 'it does not parse as a URL'));
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    fail(
      option,
      CONFIG_MESSAGES.redisUrlInvalid(shown, `its scheme is "${url.protocol}", not redis: or rediss:`),
    );
  if (url.hostname === '') fail(option, CONFIG_MESSAGES.redisUrlInvalid(shown, 'it names no host'));
  return value;
}
