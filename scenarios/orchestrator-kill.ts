import { defineScenario } from '../harness/scenario/define-scenario.js';

/** SIGKILL the orchestrator process mid-experiment and restart it: every experiment completes. */
export default defineScenario({
  name: 'orchestrator-kill',
  description: 'SIGKILL the supervising orchestrator process mid-run, restart it after 500 ms',
  setup: { supervisor: 'process', latencyModel: 'llm' },
  nemesis: [{ fault: 'orchestrator-kill', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 2 } }, params: { restartAfterMs: 500 } }],
  expect: { verdict: 'pass' },
});
