/**
 * The handlers a run's workers execute, inline or in worker processes alike: the pipeline's
 * (or stubs, `--stub-agents`), behind the latency model, the scenario's agent faults and the
 * execution recording.
 */
import type { EventSink, HandlerRegistry, PipelineSpec } from '../../src/index.js';
import { type ExecutionSink, withExecutionRecording } from '../history/record-executions.js';
import { type AgentFault, withAgentFaults } from '../nemesis/agent-faults.js';
import { type LatencyModel, withLatency } from './latency-model.js';
import { stubHandlers } from './stub-agents.js';

export interface RunHandlersOptions {
  spec: PipelineSpec;
  handlers: HandlerRegistry;
  /** the stub fanOut when stub agents replace the handlers, else null */
  stubFanOut: number | null;
  latency: LatencyModel | null;
  seed: number;
  agentFaults: readonly AgentFault[];
  sink: ExecutionSink | EventSink | undefined;
}

export function runHandlers(o: RunHandlersOptions): HandlerRegistry {
  const agents = o.stubFanOut === null ? o.handlers : stubHandlers(o.spec, o.stubFanOut);
  const stages = o.spec.stages.map((s) => s.name);
  return withExecutionRecording(withAgentFaults(withLatency(agents, o.latency, o.seed, o.spec), o.agentFaults), o.sink, stages);
}
