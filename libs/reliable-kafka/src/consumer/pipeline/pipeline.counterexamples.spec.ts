import { Logger } from '@nestjs/common';
import { violations } from './pipeline-model.properties';
import type { ModelRecord, Scenario } from './pipeline-model.scenario';
import { simulate } from './pipeline-model.simulator';

beforeAll(() => Logger.overrideLogger(false));

/**
 * Counterexamples the model-based test (pipeline.model.spec.ts) shrank to, kept as named cases: each failed on
 * the code it was found against (or a mutation of today's code that the model caught) and passes now.
 */
const byHeader = (bytes: number[], poison = false): ModelRecord => ({
  id: { kind: 'header', bytes },
  key: 'a',
  poison,
});

function scenario(partitions: ModelRecord[][], over: Partial<Scenario> = {}): Scenario {
  return {
    partitions,
    ordering: 'partition',
    concurrency: 1,
    maxBatchSize: 1,
    calls: [],
    faults: [],
    interruptions: [],
    ...over,
  };
}

async function expectNoViolations(s: Scenario): Promise<void> {
  expect(violations(s, await simulate(s))).toEqual([]);
}

describe('consumer pipeline: counterexamples found by the model', () => {
  it('the same id twice in one chunk of a lane claimed ahead is handled once', async () => {
    const x = [0x41, 0x42];
    await expectNoViolations(scenario([[byHeader(x), byHeader(x), byHeader([0x43])]], { maxBatchSize: 2 }));
  });

  it('three ids that decode to the same UTF-8 text (9f0102, a00102, fe0102) are three ids, each handled', async () => {
    await expectNoViolations(
      scenario([[byHeader([0x9f, 1, 2]), byHeader([0xa0, 1, 2]), byHeader([0xfe, 1, 2], true)]]),
    );
  });

  it('an extractor that returns a number fails its record (dead-lettered); the next record is not merged with it', async () => {
    const numeric: ModelRecord = {
      id: { kind: 'extractor', returns: { type: 'number' } },
      key: 'a',
      poison: false,
    };
    await expectNoViolations(scenario([[numeric, byHeader([0x9f, 1, 2], true)]]));
  });

  it("a record is committed only once its id's mark landed (an id 0x00)", async () => {
    await expectNoViolations(scenario([[byHeader([0x00])]]));
  });

  it('a crash after the effect and before the mark: the id runs again, and only that id', async () => {
    await expectNoViolations(
      scenario([[byHeader([1]), byHeader([2]), byHeader([3])]], {
        interruptions: [{ afterCalls: 2, kind: 'crash', effectLanded: true }],
      }),
    );
  });
});
