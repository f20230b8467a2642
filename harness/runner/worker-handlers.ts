/**
 * Wrap module for worker processes started by the harness (`--worker-mode process`): they run
 * `fanin worker --pipeline <module> --wrap harness/runner/worker-handlers.ts`, and the core's
 * CLI hands the pipeline module's handlers to `wrap`, which replaces them with stubs under
 * `--stub-agents` (FANIN_STUB_AGENTS = the stub fanOut), then wraps them with the run's latency
 * model (FANIN_LATENCY_MODEL, FANIN_SEED) and agent faults (FANIN_AGENT_FAULTS, JSON), and
 * records every execution (sent to the harness over IPC) — exactly as diagnose does inline.
 */
import type { HandlerRegistry, PipelineSpec } from '../../src/index.js';
import { ipcExecutionSink } from '../history/record-executions.js';
import { parseAgentFaults } from '../nemesis/agent-faults.js';
import { loadLatencyModel } from './latency-model.js';
import { runHandlers } from './run-handlers.js';

export function wrap(handlers: HandlerRegistry, spec: PipelineSpec): HandlerRegistry {
  const stub = process.env.FANIN_STUB_AGENTS;
  return runHandlers({
    spec, handlers, stubFanOut: stub ? Number(stub) : null,
    latency: loadLatencyModel(process.env.FANIN_LATENCY_MODEL ?? 'none'), seed: Number(process.env.FANIN_SEED ?? 1),
    agentFaults: parseAgentFaults(JSON.parse(process.env.FANIN_AGENT_FAULTS ?? '[]')), sink: ipcExecutionSink(),
  });
}
