/** The experiment state machine as stored in its Redis hash, parsed. */
import type { CompactSpec } from './spec.js';

export type ExperimentStatus = 'running' | 'completed' | 'failed';

export interface ExperimentState {
  id: string;
  status: ExperimentStatus;
  /** Why it failed ('' otherwise). */
  cause: string;
  /** Stage it failed in, when it failed. */
  failedStage?: string;
  /** Current (or last) stage index and name. */
  stageIndex: number;
  stage: string;
  /** Tasks of the current stage not finished yet. */
  remaining: number;
  /** Width of the current stage. */
  width: number;
  /** Deadline of the current stage (epoch ms). */
  deadline: number;
  createdAt: number;
  stageStartedAt: number;
  finishedAt?: number;
  /** Content hash of the final output, when completed. */
  resultHash?: string;
  inputHash: string;
  params: Record<string, unknown>;
  stages: string[];
}

export function parseExperimentState(id: string, h: Record<string, string>): ExperimentState | null {
  if (!h.status) return null;
  const spec = JSON.parse(h.spec) as CompactSpec;
  const stageIndex = Number(h.stage ?? 0);
  return {
    id,
    status: h.status as ExperimentStatus,
    cause: h.cause ?? '',
    failedStage: h.failedStage || undefined,
    stageIndex,
    stage: spec.stages[stageIndex]?.n ?? '',
    remaining: Number(h.rem ?? 0),
    width: Number(h.width ?? 0),
    deadline: Number(h.deadline ?? 0),
    createdAt: Number(h.createdAt),
    stageStartedAt: Number(h.stageStartedAt ?? h.createdAt),
    finishedAt: h.finishedAt ? Number(h.finishedAt) : undefined,
    resultHash: h.result || undefined,
    inputHash: h.input,
    params: JSON.parse(h.params ?? '{}') as Record<string, unknown>,
    stages: spec.stages.map((s) => s.n),
  };
}

/**
 * The experiment hash's fields `parseExperimentState` reads. Read them with HMGET, not HGETALL:
 * the hash also holds one completion-token field per counted task (`t:<si>:<i>`), thousands
 * in a wide experiment.
 */
export const EXPERIMENT_STATE_FIELDS = [
  'status', 'cause', 'failedStage', 'stage', 'rem', 'width', 'deadline', 'createdAt', 'stageStartedAt', 'finishedAt',
  'result', 'input', 'params', 'spec',
] as const;

/** The state from an HMGET of `EXPERIMENT_STATE_FIELDS` (null values for absent fields). */
export function experimentStateFromFields(id: string, values: readonly (string | null)[]): ExperimentState | null {
  const h: Record<string, string> = {};
  EXPERIMENT_STATE_FIELDS.forEach((f, i) => {
    const v = values[i];
    if (v !== null && v !== undefined) h[f] = v;
  });
  return parseExperimentState(id, h);
}
