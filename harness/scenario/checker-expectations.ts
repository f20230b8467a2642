/**
 * What the checkers are told about a run, from its scenario (stage roles already resolved)
 * and the pipeline spec: stages, fan-ins, the fault schedule and the handling requirements.
 */
import type { CheckerExpectations } from '../checkers/types.js';
import { scheduledFires } from '../nemesis/nemesis.js';
import type { Scenario } from './define-scenario.js';
import { fanInStagesOf, type StageList } from './stage-roles.js';

export function checkerExpectations(scenario: Scenario, spec: StageList): CheckerExpectations {
  const { deadLettered, redelivered, lostWrites } = scenario.expect;
  return {
    stages: spec.stages.map((s) => s.name),
    fanInStages: fanInStagesOf(spec),
    deadLetterExpected: scenario.expect.deadLetters,
    exclusiveExecution: scenario.expect.exclusiveExecution,
    faults: scenario.nemesis.map((f) => ({ fault: f.fault, fires: scheduledFires(f), trigger: JSON.stringify(f.trigger) })),
    handling: { ...(deadLettered ? { deadLettered } : {}), ...(redelivered ? { redelivered } : {}), ...(lostWrites ? { lostWrites } : {}) },
  };
}
