/**
 * Handlers module for worker processes started by the harness (`--worker-mode process`):
 * the built-in agents wrapped with the run's latency model. The model and seed come from
 * FANIN_LATENCY_MODEL and FANIN_SEED, set by the runner.
 */
import { constitutionalHandlers } from '../../src/agents/index.js';
import { loadLatencyModel, withLatency } from './latency-model.js';

export const handlers = withLatency(
  constitutionalHandlers,
  loadLatencyModel(process.env.FANIN_LATENCY_MODEL ?? 'none'),
  Number(process.env.FANIN_SEED ?? 1),
);
