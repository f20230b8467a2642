import { defineScenario } from '../harness/scenario/define-scenario.js';

/** Malformed entries in the stage queues are dead-lettered with reasons; experiments unaffected. */
export default defineScenario({
  name: 'poison-message',
  description: 'bad JSON, unknown stage, missing task data and a 1 MB payload injected into the analyse_batch queue',
  setup: { latencyModel: 'llm' },
  nemesis: [{ fault: 'poison-message', trigger: { on: { type: 'claimed', stage: 'analyse_batch', nth: 1 } }, params: { stage: 'analyse_batch' } }],
  expect: { verdict: 'pass', deadLetters: true },
});
