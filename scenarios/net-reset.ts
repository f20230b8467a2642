import { defineScenario } from '../harness/scenario/define-scenario.js';

/** A network fault between every component and Redis, through the TCP fault proxy: every connection reset (reset_peer) for 1 s. */
export default defineScenario({
  name: 'net-reset',
  description: 'TCP proxy: every connection reset (reset_peer) for 1 s',
  // a slow network on a busy machine: a run may take several times its usual time before it is a hang
  workload: { runTimeoutMs: 30_000 },
  setup: { proxy: true, latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'net-toxic', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 2 } }, params: { toxic: { type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }, durationMs: 1000, resetConnections: true } }],
  expect: { verdict: 'pass' },
});
