import fc from 'fast-check';
import { propertyRuns } from '../testing-support/property-runs';
import {
  checkProperties,
  runScenario,
  scenarioArb,
  stormScenarioArb,
} from './delivery-engine.model.fixtures';

/**
 * The producer's truth table, explored: the model cluster answers each request of each partition at random (ack,
 * refusal, denial, applied with the answer lost, lost before the broker, sequence numbers refused, too large,
 * slow past the deadline). `NRK_PROPERTY_RUNS` raises the budget, `NRK_PROPERTY_SEED` replays a failure; every
 * shrunk counterexample found is kept in delivery-engine.counterexamples.spec.ts.
 */
describe('DeliveryEngine against a model cluster (property-based: every fault, every partition, at random)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it.each([
    [
      'keeps the truth table: resolved = in the log at its offset; not-written = absent; copies only after unknown',
      scenarioArb,
    ],
    ['keeps it through storms of unknown outcomes whose requests outlive their senders', stormScenarioArb],
  ] as const)('%s', async (_, arbitrary) => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (scenario) => {
        const { results, client } = await runScenario(scenario);
        checkProperties(results, client);
      }),
      propertyRuns(150),
    );
  });
});
