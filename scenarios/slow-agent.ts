import { defineScenario } from '../harness/scenario/define-scenario.js';

/** One analyse task outlives its 300 ms attempt timeout on its first attempt: retried, completes. */
export default defineScenario({
  name: 'slow-agent',
  description: 'analyse_batch task 0 takes 1.5 s on attempt 1 (attempt timeout 300 ms): retried and completes',
  setup: { pipeline: { widestFanOut: { attemptTimeoutMs: 300, maxAttempts: 3 } }, agentFaults: [{ stage: 'widestFanOut', kind: 'slow', index: 0, attempts: 1, ms: 1500 }] },
  expect: { verdict: 'pass' },
});
