/**
 * The conformance API (docs/conformance.md): the workload of `fanin-conformance/1` and the
 * TypeScript helper a system's workers call; re-exported by the harness's public entry (fanin/harness).
 */
export {
  CONTRACT, MAX_BATCHES, CONFORM_STAGES, STAGE_NAMES, directiveSchema, experimentInputSchema,
  taskOutput, expectedOutputs, expectedFinal, directedAction,
  type ConformStage, type Directive, type ExperimentInput, type DirectedAction,
} from './workload.js';
export {
  ConformTask, conformTask, conformTaskFromEnv, ledgerSettingsFromEnv, parseExperimentInput,
  type ConformTaskOptions, type TaskOutcome,
} from './conform-task.js';
export { ConformTaskFailed, ConformInputError, ConformEnvError, type ConformTaskRef } from './conform-errors.js';
export { serveAgent, type AgentServeOptions } from './agent-serve.js';
