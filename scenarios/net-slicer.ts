import { defineScenario } from '../harness/scenario/define-scenario.js';

/** A network fault between every component and Redis, through the TCP fault proxy: responses sliced into ~64-byte chunks for 2 s. */
export default defineScenario({
  name: 'net-slicer',
  description: 'TCP proxy: responses sliced into ~64-byte chunks for 2 s',
  // a slow network on a busy machine: a run may take several times its usual time before it is a hang
  workload: { runTimeoutMs: 30_000 },
  setup: { proxy: true, latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'net-toxic', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 2 } }, params: { toxic: { type: 'slicer', stream: 'downstream', attributes: { average_size: 64, size_variation: 32, delay: 200 } }, durationMs: 2000, resetConnections: false } }],
  expect: { verdict: 'pass' },
});
