import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Malformed entries in the widest fan-out's queue: each must be dead-lettered with a reason
 * (required: a worker that acknowledges poison and drops it fails); experiments unaffected.
 */
export default defineScenario({
  name: 'poison-message',
  description: 'bad JSON, unknown stage, missing task data and a 1 MB payload injected into the analyse_batch queue',
  setup: { latencyModel: 'llm' },
  nemesis: [{ fault: 'poison-message', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 1 } }, params: { stage: 'widestFanOut' } }],
  expect: { verdict: 'pass', deadLetters: true, deadLettered: 'every-injected-poison' },
});
