import { defineScenario } from '../harness/scenario/define-scenario.js';

/** A network fault between every component and Redis, through the TCP fault proxy: all traffic held (timeout 0, a blackhole) for 2 s. */
export default defineScenario({
  name: 'net-blackhole',
  description: 'TCP proxy: all traffic held (timeout 0, a blackhole) for 2 s',
  // a slow network on a busy machine: a run may take several times its usual time before it is a hang
  workload: { runTimeoutMs: 30_000 },
  setup: { proxy: true, latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'net-toxic', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 2 } }, params: { toxic: { type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } }, durationMs: 2000, resetConnections: false } }],
  expect: { verdict: 'pass' },
});
