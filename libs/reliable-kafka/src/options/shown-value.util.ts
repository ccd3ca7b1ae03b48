import { inspect } from 'node:util';

/**
 * A given option value as an error message shows it: `NaN`, `Infinity`, `undefined`, a function's name and a
 * string in quotes come out as such (JSON would print `null`, nothing or `{}`); long values are cut.
 */
export function shownValue(value: unknown): string {
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'string')
    return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  return inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 200 });
}
