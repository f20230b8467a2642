import { defineScenario } from '../harness/scenario/define-scenario.js';

/** A network fault between every component and Redis, through the TCP fault proxy: latency 80 ms ± 40 both ways for 2 s. */
export default defineScenario({
  name: 'net-latency',
  description: 'TCP proxy: latency 80 ms ± 40 both ways for 2 s',
  // a slow network on a busy machine: a run may take several times its usual time before it is a hang
  workload: { runTimeoutMs: 30_000 },
  setup: { proxy: true, latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'net-toxic', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 2 } }, params: { toxic: { type: 'latency', stream: 'downstream', attributes: { latency: 80, jitter: 40 } }, durationMs: 2000, resetConnections: false } }],
  expect: { verdict: 'pass' },
});
