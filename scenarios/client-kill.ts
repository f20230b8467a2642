import { defineScenario } from '../harness/scenario/define-scenario.js';

/** CLIENT KILL TYPE normal from an admin connection: every component reconnects; all complete. */
export default defineScenario({
  name: 'client-kill',
  description: 'CLIENT KILL TYPE normal (every component connection) mid-run',
  setup: { latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'client-kill', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 3 } } }],
  expect: { verdict: 'pass' },
});
