/**
 * A scenario names stages by role (see stage-roles.ts); before a run, every such reference —
 * stage overrides, worker start delays, agent faults, fault triggers and fault parameters — is
 * resolved against the pipeline spec the run uses, so everything downstream sees stage names.
 * An unknown role is a ConfigError naming the known roles (and where the reference was).
 */
import { ConfigError, FaninError } from '../../src/index.js';
import type { Scenario } from './define-scenario.js';
import { resolveStage, type StageList } from './stage-roles.js';



function at(spec: StageList, ref: string, where: string): string {
  try {
    return resolveStage(spec, ref);
  } catch (err) {
    if (err instanceof FaninError && err.code === 'INVALID_CONFIG') {
      throw new ConfigError(`${where}: ${err.message}`, { ...err.context, where }, { cause: err });
    }
    throw err;
  }
}

/** Re-keys a per-stage record by stage name; two references to one stage merge (later wins). */
function byStage<T>(spec: StageList, record: Record<string, T>, where: string, merge: (a: T, b: T) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [ref, value] of Object.entries(record)) {
    const name = at(spec, ref, `${where}.${ref}`);
    out[name] = name in out ? merge(out[name], value) : value;
  }
  return out;
}

/** The scenario with every stage reference replaced by the stage name it resolves to in `spec`. */
export function resolveScenarioStages(scenario: Scenario, spec: StageList): Scenario {
  const setup = scenario.setup;
  return {
    ...scenario,
    setup: {
      ...setup,
      pipeline: byStage(spec, setup.pipeline, 'setup.pipeline', (a, b) => ({ ...a, ...b })),
      workerStartDelayMs: byStage(spec, setup.workerStartDelayMs, 'setup.workerStartDelayMs', (a, b) => Math.max(a, b)),
      agentFaults: setup.agentFaults.map((f, i) => ({ ...f, stage: at(spec, f.stage, `setup.agentFaults[${i}].stage`) })),
    },
    nemesis: scenario.nemesis.map((f, i) => {
      const where = `nemesis[${i}] (${f.fault})`;
      const trigger = 'on' in f.trigger && f.trigger.on.stage !== undefined
        ? { on: { ...f.trigger.on, stage: at(spec, f.trigger.on.stage, `${where} trigger.on.stage`) } }
        : f.trigger;
      const params = typeof f.params.stage === 'string' ? { ...f.params, stage: at(spec, f.params.stage, `${where} params.stage`) } : f.params;
      return { ...f, trigger, params };
    }),
  };
}
