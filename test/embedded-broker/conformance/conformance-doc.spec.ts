import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_ROWS } from './conformance-rows';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'broker-conformance.md');

/** Ids of the doc's row lines: a table row whose first cell is a row id such as `P01`. */
function documentedIds(): string[] {
  return readFileSync(DOC, 'utf8')
    .split('\n')
    .map((line) => /^\|\s*([A-Z]\d{2})\s*\|/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
}

describe('docs/broker-conformance.md', () => {
  it('documents exactly the rows the conformance spec runs, in the same order', () => {
    expect(documentedIds()).toEqual(CONFORMANCE_ROWS.map((r) => r.id));
  });

  it('has no row id twice', () => {
    const ids = CONFORMANCE_ROWS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
