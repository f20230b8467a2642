/**
 * Handlers module for worker processes started by the harness (`--worker-mode process`):
 * the built-in agents wrapped with the run's latency model and agent faults, and every
 * execution recorded (sent to the harness over IPC). They come from FANIN_LATENCY_MODEL,
 * FANIN_SEED, FANIN_AGENT_FAULTS (JSON) and FANIN_STAGES (JSON, the pipeline's stage names;
 * default the reference pipeline's), set by the runner.
 */
import { CONSTITUTIONAL_PIPELINE, constitutionalHandlers } from '../../src/index.js';
import { ipcExecutionSink, withExecutionRecording } from '../history/record-executions.js';
import { parseAgentFaults, withAgentFaults } from '../nemesis/agent-faults.js';
import { loadLatencyModel, withLatency } from './latency-model.js';

const stages: string[] = process.env.FANIN_STAGES ? (JSON.parse(process.env.FANIN_STAGES) as string[]) : CONSTITUTIONAL_PIPELINE.stages.map((s) => s.name);

export const handlers = withExecutionRecording(
  withAgentFaults(
    withLatency(constitutionalHandlers, loadLatencyModel(process.env.FANIN_LATENCY_MODEL ?? 'none'), Number(process.env.FANIN_SEED ?? 1), CONSTITUTIONAL_PIPELINE),
    parseAgentFaults(JSON.parse(process.env.FANIN_AGENT_FAULTS ?? '[]')),
  ),
  ipcExecutionSink(),
  stages,
);
