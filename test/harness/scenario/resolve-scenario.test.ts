import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONSTITUTIONAL_PIPELINE } from '../../../src/index.js';
import { defineScenario } from '../../../harness/scenario/define-scenario.js';
import { resolveScenarioStages } from '../../../harness/scenario/resolve-scenario.js';
import { knownScenarios, loadScenario } from '../../../harness/scenario/load-scenario.js';
import { withStageOverrides } from '../../../harness/runner/stage-overrides.js';
import { thrown } from '../../support/thrown.js';

const STAGE_NAMES = CONSTITUTIONAL_PIPELINE.stages.map((s) => s.name);


describe('scenarios name stages by role', () => {
  const scenario = defineScenario({
    name: 'roles',
    description: 'every stage reference a scenario can make',
    setup: {
      pipeline: { widestFanOut: { attemptTimeoutMs: 300 }, analyse_batch: { maxAttempts: 5 }, last: { timeoutMs: 9000 } },
      agentFaults: [{ stage: 'widestFanOut', kind: 'slow', ms: 10 }, { stage: 'review', kind: 'throw' }],
      workerStartDelayMs: { fanIn: 100 },
    },
    nemesis: [
      { fault: 'wrong-type-key', trigger: { on: { type: 'claimed', stage: 'first' } }, params: { stage: 'fanIn:2' } },
      { fault: 'poison-message', trigger: { atMs: 10 } },
    ],
  });

  it('resolves overrides, start delays, agent faults, triggers and fault parameters (defaults included)', () => {
    const r = resolveScenarioStages(scenario, CONSTITUTIONAL_PIPELINE);
    expect(r.setup.pipeline).toEqual({ analyse_batch: { attemptTimeoutMs: 300, maxAttempts: 5 }, moderation: { timeoutMs: 9000 } });
    expect(r.setup.agentFaults.map((f) => f.stage)).toEqual(['analyse_batch', 'review']);
    expect(r.setup.workerStartDelayMs).toEqual({ corpus_synthesis: 100 });
    expect(r.nemesis[0]).toMatchObject({ trigger: { on: { type: 'claimed', stage: 'pre_test' } }, params: { stage: 'moderation' } });
    // a fault's default stage is a role too
    expect(r.nemesis[1].params).toEqual({ stage: 'analyse_batch' });
  });

  it('an unknown role is a ConfigError that says where it was and names the known roles', () => {
    const bad = defineScenario({ name: 'bad', description: 'typo', nemesis: [{ fault: 'worker-kill', trigger: { on: { type: 'claimed', stage: 'widestFanout' } } }] });
    const err = thrown(() => resolveScenarioStages(bad, CONSTITUTIONAL_PIPELINE));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toMatch(/^nemesis\[0\] \(worker-kill\) trigger\.on\.stage: unknown stage role "widestFanout"; known stage roles: first \(pre_test\), last \(moderation\), widestFanOut \(analyse_batch\)/);
  });

  it('every scenario of the catalog names no stage: it resolves, and no stage name appears in its stage references', async () => {
    for (const name of knownScenarios()) {
      const s = await loadScenario(name);
      const refs = [
        ...Object.keys(s.setup.pipeline), ...Object.keys(s.setup.workerStartDelayMs), ...s.setup.agentFaults.map((f) => f.stage),
        ...s.nemesis.flatMap((f) => ['on' in f.trigger && f.trigger.on.stage, typeof f.params.stage === 'string' && f.params.stage]),
      ].filter((x): x is string => typeof x === 'string');
      expect({ name, names: refs.filter((r) => STAGE_NAMES.includes(r)) }).toEqual({ name, names: [] });
      expect(() => resolveScenarioStages(s, CONSTITUTIONAL_PIPELINE)).not.toThrow();
    }
  });
});

describe('stage overrides', () => {
  it('are keyed by role or name, resolved against the spec they apply to', () => {
    const spec = withStageOverrides(CONSTITUTIONAL_PIPELINE, { widestFanOut: { attemptTimeoutMs: 300 }, 'fanIn:2': { maxAttempts: 7 } });
    expect(spec.stages.find((s) => s.name === 'analyse_batch')?.attemptTimeoutMs).toBe(300);
    expect(spec.stages.find((s) => s.name === 'moderation')?.maxAttempts).toBe(7);
    expect(thrown(() => withStageOverrides(CONSTITUTIONAL_PIPELINE, { fanout: { maxAttempts: 2 } })).message).toMatch(/^unknown stage role "fanout"; known stage roles: /);
  });
});

describe('scenario validation when it loads', () => {
  it('a trigger event outside the lifecycle catalog is a ConfigError', () => {
    const err = thrown(() => defineScenario({ name: 'typo', description: 'x', nemesis: [{ fault: 'worker-kill', trigger: { on: { type: 'claimd' as never } } }] }));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toMatch(/^invalid scenario typo: nemesis\[0\] \(worker-kill\): trigger event "claimd" is not a lifecycle event; known events: submitted, enqueued, claimed, /);
  });

  it('an unknown fault parameter is a ConfigError naming the parameter and the fault', () => {
    const err = thrown(() => defineScenario({ name: 'typo', description: 'x', nemesis: [{ fault: 'worker-pause', trigger: { atMs: 1 }, params: { pausMs: 2500 } }] }));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toBe('invalid scenario typo: nemesis[0]: fault "worker-pause": unknown parameter "pausMs" (its parameters: stage, pauseMs)');
  });

  it('a parameter of the wrong type is a ConfigError; defaults are filled, not silently assumed', () => {
    expect(thrown(() => defineScenario({ name: 'x', description: 'x', nemesis: [{ fault: 'redis-pause', trigger: { atMs: 1 }, params: { pauseMs: '2s' } }] })).message)
      .toMatch(/fault "redis-pause": parameter pauseMs: Expected number, received string/);
    expect(thrown(() => defineScenario({ name: 'x', description: 'x', nemesis: [{ fault: 'client-kill', trigger: { atMs: 1 }, params: { n: 1 } }] })).message)
      .toMatch(/fault "client-kill": unknown parameter "n" \(it takes no parameters\)/);
    const s = defineScenario({ name: 'x', description: 'x', nemesis: [{ fault: 'worker-term', trigger: { atMs: 1 } }] });
    expect(s.nemesis[0].params).toEqual({ stage: 'widestFanOut', restartAfterMs: 300, exitWithinMs: 30_000, target: 'busiest' });
  });

  it('a toxic the proxy would refuse is refused when the scenario loads', () => {
    const err = thrown(() => defineScenario({ name: 'x', description: 'x', nemesis: [{ fault: 'net-toxic', trigger: { atMs: 1 }, params: { toxic: { type: 'latencyy', attributes: {} } } }] }));
    expect(err.message).toMatch(/fault "net-toxic": parameter toxic: /);
  });
});

describe('a scenario from a file path (outside the project)', () => {
  const define = fileURLToPath(new URL('../../../harness/scenario/define-scenario.ts', import.meta.url));
  const write = (body: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'fanin-scenario-')), 'mine.ts');
    writeFileSync(file, `import { defineScenario } from ${JSON.stringify(define)};\nexport default defineScenario(${body});\n`);
    return file;
  };

  it('loads and validates it', async () => {
    const s = await loadScenario(write(`{ name: 'mine', description: 'x', nemesis: [{ fault: 'worker-kill', trigger: { on: { type: 'claimed', stage: 'widestFanOut' } } }] }`));
    expect(s.name).toBe('mine');
    expect(s.nemesis[0].params).toEqual({ stage: 'widestFanOut', restartAfterMs: 300 });
  });

  it('a missing file is a ConfigError', async () => {
    await expect(loadScenario('./nowhere/mine.ts')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
