/** One scenario's outcome: the printed table plus the raw numbers written to bench/results/. */
export interface ScenarioReport {
  id: number;
  title: string;
  /** First row is the header. */
  table: string[][];
  /** Lines printed under the table (targets, caveats, "not available" reasons). */
  notes: string[];
  /** Raw measurements, for the JSON file. */
  data: Record<string, unknown>;
}
