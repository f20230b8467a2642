/** Helpers shared by the faults that act on the harness's worker processes. */
import { ConfigError } from '../../../src/index.js';
import type { ProcessWorker } from '../../runner/workers.js';
import type { NemesisTargets } from '../types.js';

/** The fault's stage: its `stage` parameter (a role the scenario resolved to a stage name before the run). */
export function stageParam(params: Record<string, unknown>): string {
  if (typeof params.stage !== 'string') throw new ConfigError('this fault needs params.stage (a stage role or name)', { params });
  return params.stage;
}

export function numberParam(params: Record<string, unknown>, name: string, fallback: number): number {
  const v = params[name];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
}

export function processWorkersOf(t: NemesisTargets, stage: string): ProcessWorker[] {
  return t.workers.processes.filter((p) => p.stage === stage);
}

export function needProcessWorker(t: NemesisTargets, stage: string): string | null {
  if (processWorkersOf(t, stage).length === 0) {
    return `needs worker processes for stage ${stage} (--worker-mode process): inline workers cannot be killed or paused`;
  }
  return null;
}

/** A seeded choice among the stage's worker processes. */
export function pickWorker(t: NemesisTargets, stage: string): ProcessWorker {
  const ws = processWorkersOf(t, stage);
  return ws[Math.floor(t.random() * ws.length)];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
