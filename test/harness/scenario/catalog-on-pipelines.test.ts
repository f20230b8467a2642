/**
 * Every catalog scenario resolves on a pipeline of another shape than the built-in one (the
 * word_count test module: a dynamic fan-out under a continue policy, a fan-in, a final stage);
 * on a pipeline without a fan-in, a scenario that names the fan-in is a ConfigError saying so.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, definePipeline, loadPipelineModule } from '../../../src/index.js';
import { resolveScenarioStages } from '../../../harness/scenario/resolve-scenario.js';
import { knownScenarios, loadScenario } from '../../../harness/scenario/load-scenario.js';
import { thrown } from '../../support/thrown.js';

const WORD_COUNT = join(import.meta.dirname, '../fixtures/pipelines/word-count.ts');

describe('the scenario catalog on other pipelines', () => {
  it('every catalog scenario resolves on word_count, naming only its stages', async () => {
    const { pipeline } = await loadPipelineModule(WORD_COUNT);
    const names = pipeline.stages.map((s) => s.name);
    for (const name of knownScenarios()) {
      const s = resolveScenarioStages(await loadScenario(name), pipeline);
      const refs = [
        ...Object.keys(s.setup.pipeline), ...Object.keys(s.setup.workerStartDelayMs), ...s.setup.agentFaults.map((f) => f.stage),
        ...s.nemesis.flatMap((f) => ['on' in f.trigger && f.trigger.on.stage, typeof f.params.stage === 'string' && f.params.stage]).filter((x): x is string => !!x),
      ];
      expect(refs.filter((r) => !names.includes(r)), name).toEqual([]);
    }
    const kill = resolveScenarioStages(await loadScenario('worker-kill'), pipeline);
    expect(kill.nemesis[0].params.stage).toBe('count');
    const wrongType = resolveScenarioStages(await loadScenario('wrong-type-key'), pipeline);
    expect(wrongType.nemesis[0].params.stage).toBe('merge');
  });

  it('a pipeline without a fan-in: the scenario naming fanIn fails with a ConfigError naming the roles it has', async () => {
    const chain = definePipeline({ pipeline: { name: 'chain', stages: [{ name: 'one' }, { name: 'two' }] }, handlers: { one: () => ({ output: 1 }), two: () => ({ output: 2 }) }, inputs: [{}] });
    const err = thrown(() => resolveScenarioStages(wrongTypeKey, chain.pipeline));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/nemesis\[0\] \(wrong-type-key\) params\.stage: stage role "fanIn": the pipeline has 0 fan-in stages; known stage roles: first \(one\), last \(two\), widestFanOut \(one\)/);
    // the others resolve (they name first or widestFanOut)
    expect(() => resolveScenarioStages(workerKill, chain.pipeline)).not.toThrow();
  });
});

const wrongTypeKey = await loadScenario('wrong-type-key');
const workerKill = await loadScenario('worker-kill');
