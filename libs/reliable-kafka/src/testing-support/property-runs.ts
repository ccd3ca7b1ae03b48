/**
 * fast-check settings of the property and model-based specs: `NRK_PROPERTY_RUNS` raises (or lowers) the budget,
 * `NRK_PROPERTY_SEED` replays a failure (fast-check prints the seed and the shrunk path of every failure).
 */
export function propertyRuns(defaultRuns: number): { numRuns: number; seed?: number } {
  const runs = Number(process.env.NRK_PROPERTY_RUNS ?? defaultRuns);
  const seed = process.env.NRK_PROPERTY_SEED;
  return { numRuns: runs, ...(seed ? { seed: Number(seed) } : {}) };
}
