/**
 * Handlers module for worker processes started by the harness (`--worker-mode process`):
 * the built-in agents wrapped with the run's latency model and agent faults. They come from
 * FANIN_LATENCY_MODEL, FANIN_SEED and FANIN_AGENT_FAULTS (JSON), set by the runner.
 */
import { constitutionalHandlers } from '../../src/index.js';
import { parseAgentFaults, withAgentFaults } from '../nemesis/agent-faults.js';
import { loadLatencyModel, withLatency } from './latency-model.js';

export const handlers = withAgentFaults(
  withLatency(constitutionalHandlers, loadLatencyModel(process.env.FANIN_LATENCY_MODEL ?? 'none'), Number(process.env.FANIN_SEED ?? 1)),
  parseAgentFaults(JSON.parse(process.env.FANIN_AGENT_FAULTS ?? '[]')),
);
