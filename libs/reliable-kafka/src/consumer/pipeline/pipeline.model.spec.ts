import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { propertyRuns } from '../../testing-support/property-runs';
import { violations } from './pipeline-model.properties';
import { scenarioArbitrary } from './pipeline-model.scenario';
import { simulate } from './pipeline-model.simulator';

beforeAll(() => Logger.overrideLogger(false));

/**
 * The consumer pipeline against a small reference model (model-based, fast-check): random records (ids as
 * arbitrary bytes, the same id at new offsets and on the other partition, extractor results of every type, poison
 * records), random handler outcomes (success, throw, partial failure, slow), random store faults (down, refusing,
 * slow), and sessions ended by crashes and revocations. Properties: nothing committed before it was handled or
 * dead-lettered; no distinct id skipped; an id handled twice only where the guarantees allow it; per-key order;
 * no partition left stuck. `NRK_PROPERTY_RUNS` sets the budget (default 60), `NRK_PROPERTY_SEED` replays a
 * failure; shrunk counterexamples live in pipeline.counterexamples.spec.ts.
 */
describe('consumer pipeline against its reference model (model-based)', () => {
  it('keeps every property over random records, outcomes, store faults, crashes and revocations', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const outcome = await simulate(scenario);
        const found = violations(scenario, outcome);
        if (found.length > 0) throw new Error(found.join('\n'));
      }),
      { ...propertyRuns(60), interruptAfterTimeLimit: 240_000 },
    );
  }, 300_000);
});
